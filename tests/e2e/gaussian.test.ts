// The 1-D Gaussian explorable, driven as a reader would in the built app.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, readNumber, screenshot, settle, waitForRun } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The `d` attributes of a chart's drawn paths: what the reader sees, as data. */
async function chartPaths(page: import('playwright-core').Page, testId: string): Promise<string> {
  return page
    .getByTestId(testId)
    .locator('path')
    .evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? '').join('|'));
}

describe('the Gaussian collapse page', () => {
  it('loads with charts, numbers and no console error', async () => {
    const { page, problems } = await openPage(browser);
    await waitForRun(page);
    await expect
      .poll(() => page.getByTestId('density-chart').locator('path.model-density').count())
      .toBeGreaterThan(3);
    expect(
      await page.getByTestId('std-chart').locator('path.median-line').getAttribute('d'),
    ).toMatch(/^M/);
    expect(await page.title()).toContain('Collapse Lab');
    // Default: synthetic share 100 %, M = 100, 200 generations — the median σ has collapsed.
    const std = await readNumber(page, 'std-median');
    expect(std).toBeGreaterThan(0.05);
    expect(std).toBeLessThan(0.4);
    await screenshot(page, 'gaussian-default');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('moving the synthetic-share slider changes the chart and the URL', async () => {
    const { page, problems } = await openPage(browser);
    await waitForRun(page);
    const before = await chartPaths(page, 'std-chart');
    const stdBefore = await readNumber(page, 'std-median');
    await page.getByTestId('synthetic-share').fill('50');
    await expect.poll(() => page.url()).toContain('synth=0.5');
    await waitForRun(page);
    await expect.poll(() => chartPaths(page, 'std-chart')).not.toBe(before);
    // Half fresh real data each generation keeps σ near 1 instead of collapsing.
    const stdAfter = await readNumber(page, 'std-median');
    expect(stdAfter).toBeGreaterThan(0.85);
    expect(stdAfter).toBeGreaterThan(stdBefore * 2);
    await screenshot(page, 'gaussian-half-real');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('play runs the generations and the median σ falls under replace with 100 % synthetic data', async () => {
    const { page, problems } = await openPage(browser, '#synth=1&regime=replace&gens=200');
    await waitForRun(page);
    await page.getByTestId('reset').click();
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('0');
    const atStart = await readNumber(page, 'std-median');
    await page.getByTestId('play').click();
    await expect
      .poll(() => readNumber(page, 'generation'), { timeout: 10_000 })
      .toBeGreaterThan(20);
    await expect.poll(() => readNumber(page, 'generation'), { timeout: 30_000 }).toBe(200);
    await expect.poll(() => page.getByTestId('play').textContent()).toMatch(/Play/);
    const atEnd = await readNumber(page, 'std-median');
    expect(atStart).toBeGreaterThan(0.9);
    expect(atEnd).toBeLessThan(atStart * 0.5);
    // Step moves one generation at a time.
    await page.getByTestId('reset').click();
    await page.getByTestId('step').click();
    await page.getByTestId('step').click();
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('2');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a copied link reopens the same experiment with the same numbers', async () => {
    const { page, problems } = await openPage(browser);
    await waitForRun(page);
    await page.getByTestId('synthetic-share').fill('90');
    await page.getByTestId('estimator-unbiased').check();
    await page.getByTestId('seed').fill('7');
    await waitForRun(page);
    await page.getByTestId('scrubber').fill('120');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('120');
    await expect.poll(() => page.url()).toContain('g=120');
    const link = page.url();
    const readout = await page.getByTestId('readout').textContent();
    await settle(page);
    const paths = await chartPaths(page, 'std-chart');

    const copy = await openPage(browser, new URL(link).hash);
    await waitForRun(copy.page);
    await expect.poll(() => copy.page.getByTestId('generation').textContent()).toBe('120');
    expect(await copy.page.getByTestId('readout').textContent()).toBe(readout);
    await settle(copy.page);
    expect(await chartPaths(copy.page, 'std-chart')).toBe(paths);
    expect(await copy.page.getByTestId('synthetic-share').inputValue()).toBe('90');
    expect(await copy.page.getByTestId('estimator-unbiased').isChecked()).toBe(true);
    expect(await copy.page.getByTestId('seed').inputValue()).toBe('7');
    await screenshot(copy.page, 'gaussian-shared-link');
    expect([...problems, ...copy.problems]).toEqual([]);
    await page.close();
    await copy.page.close();
  });

  it('a link written by the first build (c2339f7) opens its experiment without a note and runs clean', async () => {
    // That build's serializer, field for field (tests/unit/state/oldLinks.test.ts has more).
    const { page, problems } = await openPage(
      browser,
      '#v=1&model=gaussian1d&M=250&gens=200&reps=50&seed=7&est=unbiased&synth=0.9&regime=replace&real=fresh&temp=1&g=12',
    );
    await waitForRun(page);
    expect(await page.getByTestId('messages').count()).toBe(0);
    for (const part of ['M=250', 'reps=50', 'seed=7', 'est=unbiased', 'synth=0.9', 'g=12'])
      expect(page.url()).toContain(part);
    expect(Number.isFinite(await readNumber(page, 'std-median'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a hand-edited link with bad values shows what was wrong and still runs', async () => {
    const { page, problems } = await openPage(
      browser,
      '#M=abc&synth=5&regime=sideways&colour=red&reps=20',
    );
    await waitForRun(page);
    const messages = page.getByTestId('messages');
    await expect.poll(() => messages.textContent()).toContain('samplesPerGeneration');
    const text = (await messages.textContent()) ?? '';
    expect(text).toContain('syntheticFraction: 5 is outside 0–1; clamped to 1');
    expect(text).toContain('regime');
    expect(text).toContain('colour');
    // The valid part of the link survives.
    expect(page.url()).toContain('reps=20');
    expect(page.url()).toContain('M=100');
    expect(Number.isFinite(await readNumber(page, 'std-median'))).toBe(true);
    await screenshot(page, 'gaussian-bad-link');
    expect(problems).toEqual([]);
    await page.close();
  });
});
