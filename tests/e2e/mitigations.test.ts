// The remedies as a reader meets them: comparison presets drawn on shared axes with a legend and
// a readout, links that reopen a comparison, and the filter's sliders moving the effective
// synthetic share shown.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, nonFinite, openPage, screenshot, settle, waitForRun } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const legend = (page: Page) =>
  page.getByTestId('comparison-legend').locator('li').allTextContents();
/** Per variant line of a chart, the number of generations it draws. */
const drawnPoints = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .locator('path.variant-line')
    .evaluateAll((ps) => ps.map((p) => (p.getAttribute('d') ?? '').split(/[ML]/).length - 1));

describe('lockstep comparisons', () => {
  it('a comparison preset draws every variant with one legend, and its link reopens it', async () => {
    const { page, problems } = await openPage(browser);
    await waitForRun(page);
    await page.getByTestId('compare-preset-replace-vs-accumulate').click();
    await expect
      .poll(() => legend(page))
      .toEqual([' Replace', ' Accumulate', ' Accumulate, subsample to M']);
    await waitForRun(page);
    await settle(page);
    // Every variant is drawn to the last generation (200 by default), not just the first.
    await expect.poll(() => drawnPoints(page, 'compare-std')).toEqual([201, 201, 201]);
    // Accumulating keeps σ near 1 while replacing collapses it (the readout at the last generation).
    const replace = Number(await page.getByTestId('readout-0-std').getAttribute('data-value'));
    const accumulate = Number(await page.getByTestId('readout-1-std').getAttribute('data-value'));
    expect(replace).toBeLessThan(0.5);
    expect(accumulate).toBeGreaterThan(0.7);
    // The closed form beside each variant that has one (none for accumulate-subsample): the
    // median σ of replace within 2 SE-ish of the simulation's median over 500 chains.
    const theory = Number(
      /theory\s+(\S+)/.exec((await page.getByTestId('theory-0-std').textContent()) ?? '')?.[1],
    );
    expect(theory / replace).toBeGreaterThan(0.8);
    expect(theory / replace).toBeLessThan(1.25);
    expect(await page.getByTestId('theory-2-std').count()).toBe(0);
    expect(page.url()).toContain('cmp=regime=replace,accumulate,accumulate-subsample');
    expect(await nonFinite(page)).toEqual([]);
    await screenshot(page, 'compare-regimes');

    // The link alone reopens the same comparison with the same numbers.
    const again = await openPage(browser, new URL(page.url()).hash);
    await waitForRun(again.page);
    await expect
      .poll(() => legend(again.page))
      .toEqual([' Replace', ' Accumulate', ' Accumulate, subsample to M']);
    await settle(again.page);
    expect(Number(await again.page.getByTestId('readout-0-std').getAttribute('data-value'))).toBe(
      replace,
    );
    expect(again.problems).toEqual([]);
    await again.page.close();

    // Stop comparing: the model's own view comes back.
    await page.getByTestId('end-comparison').click();
    await page.getByTestId('density-chart').waitFor();
    expect(page.url()).not.toContain('cmp=');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('every comparison preset of every model runs clean (a few generations)', async () => {
    const { page, problems } = await openPage(browser, '#model=gmm&gens=8&reps=4&M=200');
    await waitForRun(page);
    for (const name of ['watermarks', 'curation', 'first-mover-vs-late-comer', 'fresh-real-data']) {
      await page.getByTestId(`compare-preset-${name}`).click();
      // Shrink the run the preset set so the test stays short.
      await page.evaluate(() => {
        const u = new URL(location.href);
        const p = new URLSearchParams(u.hash.slice(1));
        p.set('gens', '8');
        p.set('reps', '4');
        location.hash = p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%3D/g, '=');
      });
      await waitForRun(page);
      await settle(page);
      expect((await legend(page)).length).toBeGreaterThanOrEqual(2);
      expect(await nonFinite(page)).toEqual([]);
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a comparison of any setting', () => {
  it('runs from the builder, and a bad value gets a message naming the field', async () => {
    const { page, problems } = await openPage(browser, '#model=gaussian1d&gens=30&reps=50');
    await waitForRun(page);
    await page.locator('.compare-builder summary').click();
    await page.getByTestId('compare-field').selectOption('samplesPerGeneration');
    await page.getByTestId('compare-values').fill('20, 100, banana');
    await page.getByTestId('compare-run').click();
    await expect
      .poll(() => page.getByTestId('compare-error').textContent())
      .toMatch(/samplesPerGeneration/);
    await page.getByTestId('compare-values').fill('20, 100, 1000');
    await page.getByTestId('compare-run').click();
    await expect.poll(() => legend(page)).toEqual([' 20', ' 100', ' 1,000']);
    await waitForRun(page);
    await settle(page);
    // More samples per generation, slower collapse: σ after 30 generations grows with M.
    const std = async (i: number) =>
      Number(await page.getByTestId(`readout-${i}-std`).getAttribute('data-value'));
    expect(await std(0)).toBeLessThan(await std(2));
    expect(page.url()).toContain('cmp=samplesPerGeneration=20,100,1000');
    expect(await nonFinite(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the watermark filter', () => {
  it('its sliders change the effective synthetic share shown', async () => {
    const { page, problems } = await openPage(
      browser,
      '#model=gaussian1d&synth=0.9&gens=20&reps=200&tpr=0.9&fpr=0.05',
    );
    await waitForRun(page);
    const share = async () =>
      Number(await page.getByTestId('effective-share').getAttribute('data-value'));
    // 90 synthetic points of which 90 % are caught, 10 real of which 5 % are dropped:
    // 9 / (9 + 9.5) ≈ 0.49 of what reaches training is synthetic.
    const before = await share();
    expect(before).toBeGreaterThan(0.4);
    expect(before).toBeLessThan(0.58);
    await page.getByTestId('filter-truePositiveRate').fill('0');
    await waitForRun(page);
    await expect.poll(share).toBeGreaterThan(0.88);
    expect(await page.getByTestId('real-lost').textContent()).toMatch(/%/);
    expect(await nonFinite(page)).toEqual([]);
    await screenshot(page, 'filter');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the phase diagram', () => {
  it('fills in cell by cell with the theory boundary, and a click opens that cell’s run', async () => {
    const { page, problems } = await openPage(browser, '#model=gaussian1d&M=100&gens=200&reps=100');
    await waitForRun(page);
    await page.getByTestId('phase-panel').locator('summary').click();
    await page.getByTestId('phase-size').selectOption('10');
    await page.getByTestId('phase-replicates').selectOption('20');
    await page.getByTestId('phase-compute').click();
    const status = page.getByTestId('phase-status');
    await status.filter({ hasText: /100 cells from 10 runs/ }).waitFor({ timeout: 60_000 });
    await settle(page);
    const chart = page.getByTestId('phase-chart');
    expect(await chart.locator('rect.heat-cell').count()).toBe(100);
    expect(await chart.locator('rect.heat-cell.pending').count()).toBe(0);
    expect(await chart.locator('path.phase-boundary').getAttribute('d')).toMatch(/^M/);
    expect(await nonFinite(page)).toEqual([]);
    await screenshot(page, 'phase-diagram');
    // The top-right cell: all synthetic, the last generation. Clicking it opens that run.
    await chart.locator('rect[data-column="9"][data-row="9"]').click();
    await expect.poll(() => page.url()).toContain('synth=1&');
    await waitForRun(page);
    expect(page.url()).toMatch(/[#&]gens=200(&|$)/);
    expect(page.url()).toMatch(/[#&]reps=20(&|$)/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
