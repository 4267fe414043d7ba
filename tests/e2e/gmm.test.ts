// The Gaussian-mixture view in the built app: the backend ladder (WebGPU through SwiftShader when
// the link asks for it, WebGL, and the fallback without WebGPU), and the tfjs EM agreeing with the
// TypeScript EM in the browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/cli/chromium';
import { nonFinite, openPage, screenshot, waitForRun } from './browser';

const SMALL = 'model=gmm&gens=3&reps=4&M=200&K=2&dist=gaussian2d';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function badge(page: Page) {
  const el = page.getByTestId('backend-badge');
  await expect.poll(() => el.getAttribute('data-backend'), { timeout: 60_000 }).not.toBeNull();
  return { name: await el.getAttribute('data-backend'), text: (await el.textContent()) ?? '' };
}

async function stdMedian(page: Page): Promise<number> {
  await waitForRun(page);
  return Number(await page.getByTestId('gmm-std-median').getAttribute('data-value'));
}

describe('the Gaussian-mixture view', () => {
  it('runs the TypeScript engine, draws the scatter and ellipses, with no console error', async () => {
    const { page, problems } = await openPage(browser, `#${SMALL}&engine=ts`);
    await waitForRun(page);
    expect((await badge(page)).name).toBe('ts');
    await expect.poll(() => page.getByTestId('gmm-scatter').locator('ellipse').count()).toBe(4);
    expect(
      await page.getByTestId('gmm-scatter').locator('.real-contours path').count(),
    ).toBeGreaterThan(0);
    expect(await page.getByTestId('gmm-std').locator('path.median-line').getAttribute('d')).toMatch(
      /^M/,
    );
    await screenshot(page, 'gmm-ts');
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(['webgpu', 'webgl'])(
    'runs batched EM on %s when the link asks, agreeing with the TypeScript engine within 1e-3',
    async (backend) => {
      const ts = await openPage(browser, `#${SMALL}&engine=ts`);
      const want = await stdMedian(ts.page);
      const tf = await openPage(browser, `?backend=${backend}#${SMALL}&engine=tfjs`);
      const b = await badge(tf.page);
      expect(b.name).toBe(backend);
      expect(b.text).toContain('as the link asked');
      const got = await stdMedian(tf.page);
      expect(Math.abs(got - want)).toBeLessThan(1e-3);
      await screenshot(tf.page, `gmm-${backend}`);
      expect([...ts.problems, ...tf.problems]).toEqual([]);
      await ts.page.close();
      await tf.page.close();
    },
    180_000,
  );

  it.each(['webgpu', 'webgl'])(
    'stays finite on %s when 25 components share 60 points and collapse',
    async (backend) => {
      // Components of two or three points: the float32 EM's hardest case (it drew NaN before).
      const { page, problems } = await openPage(
        browser,
        `?backend=${backend}#model=gmm&engine=tfjs&dist=grid25&K=25&M=60&reps=2&gens=4`,
      );
      expect((await badge(page)).name).toBe(backend);
      const std = await stdMedian(page);
      expect(Number.isFinite(std) && std > 0).toBe(true);
      const modes = Number(await page.getByTestId('gmm-modes-median').getAttribute('data-value'));
      expect(modes).toBeGreaterThanOrEqual(0);
      expect(modes).toBeLessThanOrEqual(25);
      expect(await nonFinite(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    },
    180_000,
  );

  it('says WebGPU is unavailable and falls back when the browser has no WebGPU', async () => {
    // A browser without the SwiftShader WebGPU flags: no adapter.
    const plain = await launchChromium([
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ]);
    try {
      const { page, problems } = await openPage(plain, `#${SMALL}&engine=tfjs`);
      const b = await badge(page);
      expect(b.name).not.toBe('webgpu');
      expect(b.text).toMatch(/WebGPU unavailable/);
      await waitForRun(page);
      await screenshot(page, 'gmm-no-webgpu');
      expect(problems).toEqual([]);
    } finally {
      await plain.close();
    }
  }, 120_000);

  it('switches models with the tabs and keeps the link in step', async () => {
    const { page, problems } = await openPage(browser);
    await waitForRun(page);
    await page.getByTestId('tab-gmm').click();
    await expect.poll(() => page.url()).toContain('model=gmm');
    await page.getByTestId('preset-1-d-bimodal').click();
    await expect.poll(() => page.url()).toContain('dist=bimodal1d');
    await expect
      .poll(() => page.getByTestId('gmm-ridgeline').locator('path.ridge').count(), {
        timeout: 60_000,
      })
      .toBeGreaterThan(2);
    await page.getByTestId('tab-gaussian1d').click();
    await expect.poll(() => page.url()).toContain('model=gaussian1d');
    await waitForRun(page);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
