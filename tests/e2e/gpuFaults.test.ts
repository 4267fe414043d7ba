// GPU faults in a real browser (SwiftShader's WebGPU and WebGL, cli/chromium.ts): a WebGPU device
// destroyed mid-run and a WebGL context lost mid-run (WEBGL_lose_context), injected into the
// worker through the `?test` hook. Each is noticed; the run moves down the ladder with a notice,
// completes with finite numbers, and ends with what a run on that backend gives from the start.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, nonFinite, openPage, readouts, screenshot, waitForRun } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The batched tfjs mixture engine, small: a few seconds per run on SwiftShader. */
const LINK = '#model=gmm&engine=tfjs&gens=30&reps=8&M=200&K=2&seed=3';

describe('GPU faults mid-run', { timeout: 400_000 }, () => {
  it.each([
    ['webgpu', 'lose-device', 'WebGPU', 'webgl', 'WebGL'],
    ['webgl', 'lose-context', 'WebGL', 'wasm', 'WebAssembly'],
  ])(
    '%s: %s moves the run down the ladder, from its last finished generation',
    async (backend, fault, label, next, nextLabel) => {
      const clean = await openPage(browser, `?backend=${next}${LINK}`);
      await waitForRun(clean.page, 200_000);
      const want = await readouts(clean.page);
      await clean.page.close();

      const { page, problems } = await openPage(browser, `?test&backend=${backend}${LINK}`);
      await expect
        .poll(() => page.getByTestId('generation').textContent(), { timeout: 120_000 })
        .toMatch(/^([3-9]|[12]\d)$/);
      expect(await page.getByTestId('backend-badge').getAttribute('data-backend')).toBe(backend);
      const did = await page.evaluate(
        (f) =>
          (
            globalThis as unknown as {
              collapseLabTest: { injectFault(i: number, f: string): Promise<string> };
            }
          ).collapseLabTest.injectFault(0, f),
        fault,
      );
      expect(did).toMatch(/destroyed|lost/);
      await waitForRun(page, 200_000);
      const notes = await page.getByTestId('run-notes').textContent();
      expect(notes).toMatch(
        new RegExp(
          `${label} failed \\(.+\\); the run goes on from generation \\d+ on ${nextLabel} \\(or the next backend that works\\), which recomputes the earlier generations\\.`,
        ),
      );
      expect(await page.getByTestId('backend-badge').getAttribute('data-backend')).toBe(next);
      expect(await page.getByTestId('generation').textContent()).toBe('30');
      expect(await nonFinite(page)).toEqual([]);
      // The last generation is what a run on the next backend gives from the start.
      expect(await readouts(page)).toBe(want);
      await screenshot(page, `fault-${fault}`);
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});
