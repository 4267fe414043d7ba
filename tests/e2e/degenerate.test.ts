// Degenerate and exploding links in the built app: the charts say "spread beyond the chart" or
// "collapsed to a point" instead of drawing what cannot be drawn, and a mixture asked for more
// components than a generation has points is lowered to M with a message, then runs clean. The
// charts' data tables say the same in words, and no NaN or ∞ reaches them either.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, nonFinite, openPage, screenshot } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('degenerate links', { timeout: 200_000 }, () => {
  it.each([
    [
      '#temp=2&gens=1000&reps=50',
      'density-chart',
      /^Generation 1000: spread beyond the chart \(σ = [\d.]+e\+\d+\)$/,
      'beyond the chart',
    ],
    [
      '#temp=0.1&gens=1000&reps=50',
      'density-chart',
      /^Generation 1000: collapsed to a point \(σ = 0\)$/,
      'collapsed to a point',
    ],
    ['#model=gmm&K=25&M=10&gens=60&reps=2&engine=ts', null, null, null],
  ])('%s says what it cannot draw and runs clean', async (hash, chart, note, words) => {
    const { page, problems } = await openPage(browser, hash);
    await page
      .getByTestId('run-status')
      .filter({ hasText: 'simulated' })
      .waitFor({ timeout: 150_000 });
    expect(await nonFinite(page)).toEqual([]);
    if (chart && note) {
      await expect
        .poll(() => page.getByTestId(chart).locator('.chart-note').textContent())
        .toMatch(note);
    } else {
      expect(await page.getByTestId('messages').textContent()).toContain(
        'components: 25 is more than the 10 points of a generation; lowered to 10',
      );
    }
    // Every chart's data table, opened: finite numbers only, and the shown generation's row of
    // the density table in the chart's words.
    for (const summary of await page.locator('main details.chart-table:visible > summary').all())
      await summary.click();
    await expect.poll(() => page.locator('.chart-table table').count()).toBeGreaterThan(0);
    expect(await nonFinite(page)).toEqual([]);
    if (chart && words)
      expect(
        await page.getByTestId(`${chart}-table`).locator('tr[aria-current="true"]').textContent(),
      ).toContain(words);
    await screenshot(page, `degenerate-${hash.replace(/[^\w]+/g, '-')}`);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a link asking for too much work', { timeout: 200_000 }, () => {
  it('is cut with a message, shows progress with an ETA, and Cancel stops it', async () => {
    const { page, problems } = await openPage(browser, '#reps=1000&M=10000&gens=1000');
    expect(await page.getByTestId('messages').textContent()).toMatch(
      /replicates: 1,000 chains × 10,000 points × 1,001 generations is more work than a page can do in about a minute; reduced to \d+/,
    );
    await page.getByTestId('run-progress').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.getByTestId('run-eta').textContent(), { timeout: 60_000 })
      .toMatch(/^ — about (\d+ s|\d+ min \d\d s) left$/);
    await page.getByTestId('run-cancel').click();
    await expect.poll(() => page.getByTestId('run-status').textContent()).toMatch(/^Stopped\./);
    expect(await page.getByTestId('run-progress').count()).toBe(0);
    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('of a trained model (every diffusion slider at its end) is cut to half an hour, and stops on Cancel', async () => {
    const { page, problems } = await openPage(
      browser,
      '#model=diffusion&ep=2000&h=256&T=200&M=5000&gens=50&reps=8',
    );
    const said = (await page.getByTestId('messages').textContent()) ?? '';
    expect(said).toMatch(
      /replicates: 8 chains × 5,000 points × 51 generations is more work than a page can do in about 30 minutes; reduced to 1/,
    );
    expect(said).toMatch(/samplesPerGeneration: .* reduced to \d+/);
    // Training shows its progress with Cancel (the model's own progress block).
    await page.getByTestId('diffusion-cancel').click({ timeout: 90_000 });
    await expect
      .poll(() => page.getByTestId('diffusion-progress').count(), { timeout: 10_000 })
      .toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
