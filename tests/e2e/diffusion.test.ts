// The diffusion view in the built app, on WebGPU (SwiftShader here, so on small settings: 256
// points, 2 generations after the first, T = 50, 16 hidden units, 10 epochs).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, nonFinite, openPage, screenshot, settle, waitForRun } from './browser';

const SMALL = 'model=diffusion&M=256&gens=2&ep=10&h=16&T=50';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function readouts(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const k of ['modes', 'precision', 'recall', 'w2']) {
    out[k] = Number(await page.getByTestId(`diffusion-${k}`).getAttribute('data-value'));
  }
  return out;
}

describe('the diffusion view', () => {
  it('trains on WebGPU, runs two generations and draws them, with no console error', async () => {
    const { page, problems } = await openPage(browser, `?backend=webgpu#${SMALL}`);
    const badge = page.getByTestId('backend-badge');
    await expect.poll(() => badge.getAttribute('data-backend'), { timeout: 90_000 }).toBe('webgpu');
    await waitForRun(page, 200_000);
    await settle(page);
    expect(await page.getByTestId('generation').textContent()).toBe('2');
    // The scatter: the real density's contours over chain 1's samples.
    const scatter = page.getByTestId('diffusion-scatter');
    expect(await scatter.locator('.real-contours path').count()).toBeGreaterThan(0);
    // The filmstrip: generations 0, 1, 2, each with dots and the 8 modes' rings.
    const strip = page.getByTestId('diffusion-filmstrip');
    await expect.poll(() => strip.locator('g.strip-panel').count()).toBe(3);
    expect(
      await strip.locator('g.strip-panel').first().locator('.strip-modes circle').count(),
    ).toBe(8);
    // (10 Adam steps leave the model rough: its samples spread, some beyond the panels.)
    expect(await strip.locator('.strip-points circle').count()).toBeGreaterThan(100);
    for (const m of ['modesAlive', 'precision', 'recall', 'w2', 'std']) {
      expect(
        await page
          .getByTestId(`diffusion-chart-${m}`)
          .locator('path.median-line')
          .getAttribute('d'),
        m,
      ).toMatch(/^M/);
    }
    const r = await readouts(page);
    expect(r.modes).toBeGreaterThanOrEqual(0);
    expect(r.modes).toBeLessThanOrEqual(8);
    for (const k of ['precision', 'recall']) {
      expect(r[k]).toBeGreaterThanOrEqual(0);
      expect(r[k]).toBeLessThanOrEqual(1);
    }
    expect(Number.isFinite(r.w2) && r.w2 > 0).toBe(true);
    // Scrubbing back to generation 0 redraws the scatter from that generation.
    await page.getByTestId('scrubber').fill('0');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('0');
    await expect
      .poll(() => page.getByTestId('diffusion-filmstrip').locator('g.strip-panel').count())
      .toBe(1);
    expect(await nonFinite(page)).toEqual([]);
    await screenshot(page, 'diffusion-webgpu');
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);

  it('a link round-trips: the same recipe, and the same numbers on the same backend', async () => {
    const first = await openPage(browser, `?backend=webgpu#${SMALL}&seed=7&dist=spiral`);
    await waitForRun(first.page, 200_000);
    const url = first.page.url();
    expect(url).toContain('model=diffusion');
    expect(url).toContain('dist=spiral');
    expect(url).toContain('T=50');
    const want = await readouts(first.page);
    await first.page.close();
    const second = await openPage(browser, url.slice(url.indexOf('?')));
    await waitForRun(second.page, 200_000);
    expect(second.page.url()).toBe(url);
    expect(await readouts(second.page)).toEqual(want);
    expect(
      await second.page.getByTestId('diffusion-filmstrip').locator('.strip-modes circle').count(),
    ).toBe(3 * 16);
    expect([...first.problems, ...second.problems]).toEqual([]);
    await second.page.close();
  }, 400_000);

  it('shows its training progress with an ETA, and Cancel stops the run', async () => {
    // The default recipe on the default backend ladder (WebAssembly or WebGL here), 20 generations.
    const { page, problems } = await openPage(browser, '#model=diffusion&gens=20');
    const label = page.getByTestId('diffusion-progress-label');
    await expect
      .poll(() => label.textContent(), { timeout: 90_000 })
      .toMatch(/Generation [1-9]\d* of 20 · epoch \d+\/200 · step \d+\/600/);
    await expect.poll(() => page.getByTestId('diffusion-eta').textContent()).toMatch(/left$/);
    await page.getByTestId('diffusion-cancel').click();
    await expect
      .poll(() => page.getByTestId('diffusion-progress').count(), { timeout: 10_000 })
      .toBe(0);
    const computed = await page.getByTestId('generation').textContent();
    await page.waitForTimeout(4_000);
    expect(await page.getByTestId('generation').textContent()).toBe(computed);
    expect(Number(computed)).toBeLessThan(20);
    // Generation 0, trained on real points only, covers every mode of the ring.
    await page.getByTestId('scrubber').fill('0');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('0');
    expect(Number(await page.getByTestId('diffusion-modes').getAttribute('data-value'))).toBe(8);
    expect(await nonFinite(page)).toEqual([]);
    await screenshot(page, 'diffusion-cancelled');
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});
