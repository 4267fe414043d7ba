// The VAE-on-MNIST view in the built app, on WebGPU (SwiftShader here, so on small settings:
// 200 digits, 2 generations after the first, one epoch, a 784-32-2 VAE).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, readNumber, screenshot, waitForRun } from './browser';

const SMALL = 'model=vae&M=200&gens=2&ep=1&h=32&z=2';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The share of a canvas's pixels that differ from its background (its most common colour). */
async function inkOf(page: Page, testId: string) {
  return page.getByTestId(testId).evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0 || canvas.height === 0) return { fraction: 0, width: 0 };
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const pixels = new Uint32Array(data.buffer);
    const counts = new Map<number, number>();
    for (const p of pixels) counts.set(p, (counts.get(p) ?? 0) + 1);
    const background = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    const bg = new Uint8Array(new Uint32Array([background]).buffer);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      let d = 0;
      for (let c = 0; c < 4; c++) d += Math.abs(data[i + c] - bg[c]);
      if (d > 60) ink++;
    }
    return { fraction: ink / pixels.length, width: canvas.width };
  });
}

/** The class shares in the class histogram's description ("… at generation 2: 0: 12 %, …"). */
function classShares(label: string | null): number[] {
  const list = label?.split(/at generation \d+: /)[1] ?? '';
  return [...list.matchAll(/(\d): (\d+) %/g)].map((m) => Number(m[2]) / 100);
}

function entropyBits(shares: number[]): number {
  const total = shares.reduce((a, b) => a + b, 0);
  return -shares.reduce((h, s) => (s > 0 ? h + (s / total) * Math.log2(s / total) : h), 0);
}

/**
 * Counts the page's animation frames in consecutive slices of time, by the frames' own
 * timestamps: a main thread that is blocked through a slice leaves it without frames.
 * `freezeMs` blocks the main thread that long, starting one slice in (to check the check).
 */
async function framesPerSlice(
  page: Page,
  options: { slices: number; sliceMs: number; freezeMs?: number },
): Promise<number[]> {
  return page.evaluate(
    ({ slices, sliceMs, freezeMs }) =>
      new Promise<number[]>((resolve) => {
        const counts: number[] = new Array(slices).fill(0);
        let start: number | null = null;
        const tick = (now: number) => {
          if (start === null) {
            start = now;
            if (freezeMs > 0) {
              setTimeout(() => {
                const until = performance.now() + freezeMs;
                while (performance.now() < until) {
                  // blocked, as a main thread doing heavy work would be
                }
              }, sliceMs);
            }
          }
          const slice = Math.floor((now - start) / sliceMs);
          if (slice >= slices) return resolve(counts);
          counts[slice]++;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { freezeMs: 0, ...options },
  );
}

describe('the VAE view', () => {
  it('trains on WebGPU and shows sampled digits, class shares, latents and metrics', async () => {
    const { page, problems } = await openPage(browser, `?backend=webgpu#${SMALL}`);
    // While it trains: the progress bar names the generation, with a Cancel button.
    await expect
      .poll(() => page.getByTestId('vae-progress-label').textContent(), { timeout: 60_000 })
      .toMatch(/Generation \d of 2|Loading|Choosing/);
    expect(await page.getByTestId('vae-cancel').count()).toBe(1);

    const badge = page.getByTestId('backend-badge');
    await expect.poll(() => badge.getAttribute('data-backend'), { timeout: 90_000 }).toBe('webgpu');
    expect(await badge.textContent()).toContain('as the link asked');

    await waitForRun(page, 200_000);
    expect(await page.getByTestId('vae-progress').count()).toBe(0);
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('2');

    // The filmstrips hold real-looking digits: a fair share of inked pixels, not a blank canvas.
    for (const id of ['vae-filmstrip-canvas', 'vae-filmstrip-gen0', 'vae-generations-canvas']) {
      const { fraction, width } = await inkOf(page, id);
      expect(width, id).toBeGreaterThan(200);
      expect(fraction, id).toBeGreaterThan(0.04);
      expect(fraction, id).toBeLessThan(0.6);
    }
    expect(await page.getByTestId('vae-filmstrip-canvas').getAttribute('aria-label')).toMatch(
      /64 digits drawn by chain 1's VAE at generation 2/,
    );

    // A few Adam steps only: the samples may all still read as one class (entropy 0), so the
    // entropy shown is checked against the class shares shown beside it, and the classifier
    // against the real digits, which spread over all ten classes (log2 10 = 3.32 bits).
    const entropy = Number(await page.getByTestId('vae-class-entropy').getAttribute('data-value'));
    const shares = classShares(
      await page
        .getByTestId('vae-class-histogram')
        .locator('svg[role=img]')
        .getAttribute('aria-label'),
    );
    expect(shares).toHaveLength(10);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
    // The shares are rounded to whole percents, which moves their entropy by a few hundredths.
    expect(Math.abs(entropy - entropyBits(shares)), `${entropy} vs ${shares}`).toBeLessThan(0.15);
    const real = /bits; real digits (\d\.\d+)/.exec(
      (await page.getByTestId('vae-readout').textContent()) ?? '',
    );
    expect(Number(real?.[1])).toBeGreaterThan(3.1);
    expect(Number(real?.[1])).toBeLessThanOrEqual(Math.log2(10) + 0.005);
    expect(await readNumber(page, 'vae-diversity')).toBeGreaterThan(0);
    expect(await readNumber(page, 'vae-elbo')).toBeLessThan(0);
    expect(await page.getByTestId('vae-training').textContent()).toContain('200 digits');

    const layers = page.getByTestId('vae-class-histogram').locator('path.class-layer');
    expect(await layers.count()).toBe(10);
    expect(await layers.first().getAttribute('d')).toMatch(/^M/);
    // latentSize 2: the latent scatter is there, drawn on its canvas.
    expect(await page.getByTestId('vae-latent').locator('circle.prior').count()).toBe(2);
    for (const metric of ['classEntropy', 'diversity', 'latentStd', 'heldOutElbo']) {
      expect(
        await page.getByTestId(`vae-chart-${metric}`).locator('path.median-line').getAttribute('d'),
      ).toMatch(/^M/);
    }

    await screenshot(page, 'vae');
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  it('keeps the page responsive while it trains, and Cancel stops the run', async () => {
    // The default backend ladder (WebAssembly here) and a long run: 2,000 digits, 20 generations.
    const { page, problems } = await openPage(browser, '#model=vae&M=2000&gens=20');
    const label = page.getByTestId('vae-progress-label');
    await expect
      .poll(() => label.textContent(), { timeout: 90_000 })
      .toMatch(/Generation [1-9]\d* of 20 · epoch/);
    // Training runs in the worker: the page keeps drawing frames meanwhile, in every quarter of
    // two seconds (a main thread busy for half a second would leave a quarter without any). How
    // smoothly is a speed figure, measured by `npm run bench`, not asserted here.
    const slices = await framesPerSlice(page, { slices: 4, sliceMs: 500 });
    for (const frames of slices)
      expect(frames, `frames per half second: ${slices}`).toBeGreaterThanOrEqual(3);
    // The same count notices a main thread that stops for 1.6 s in the middle of it.
    const frozen = await framesPerSlice(page, { slices: 4, sliceMs: 500, freezeMs: 1600 });
    expect(Math.min(...frozen), `frames per half second: ${frozen}`).toBe(0);

    await page.getByTestId('vae-cancel').click();
    await expect.poll(() => page.getByTestId('vae-progress').count(), { timeout: 10_000 }).toBe(0);
    const computed = await page.getByTestId('generation').textContent();
    await page.waitForTimeout(4_000);
    expect(await page.getByTestId('generation').textContent()).toBe(computed);
    expect(Number(computed)).toBeLessThan(20);
    // Generation 0 trained for ten epochs on 2,000 real digits: it draws most of the ten classes.
    const gen0 = await page.getByTestId('vae-filmstrip-gen0').getAttribute('aria-label');
    const gen0Entropy = Number(/class entropy (\d\.\d+) bits/.exec(gen0 ?? '')?.[1]);
    expect(gen0Entropy, gen0 ?? '').toBeGreaterThan(2.5);
    expect(gen0Entropy, gen0 ?? '').toBeLessThanOrEqual(Math.log2(10) + 0.005);
    await screenshot(page, 'vae-cancelled');
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});
