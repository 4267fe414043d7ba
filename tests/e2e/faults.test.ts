// Faults in a real browser: a simulation worker killed mid-run (as a phone killing a background
// worker would: terminated, no event) is noticed by the pool's watchdog and replaced; the run
// completes, the reader sees a notice, and the numbers equal those of a clean run of the same link.
// `?test` shortens the watchdog to 3 s and exposes the kill hook (state/controller.ts).
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

/** Long enough to kill a worker in the middle (a few seconds of work over the pool). */
const LINK = '#model=gaussian1d&M=1000&gens=1000&reps=200&synth=1&seed=11';

describe('a worker killed mid-run', { timeout: 300_000 }, () => {
  it('is replaced; the run completes with a notice and the numbers of a clean run', async () => {
    const clean = await openPage(browser, LINK);
    await waitForRun(clean.page, 120_000);
    const want = await readouts(clean.page);
    expect(want).toMatch(/\d/);
    await clean.page.close();

    const { page, problems } = await openPage(browser, `?test${LINK}`);
    // Kill the first worker once some generations are in, well before the last.
    await expect
      .poll(() => page.getByTestId('generation').textContent(), { timeout: 60_000 })
      .toMatch(/^[1-9]\d*$/);
    const killed = await page.evaluate(() =>
      (
        globalThis as unknown as { collapseLabTest: { killWorker(i: number): boolean } }
      ).collapseLabTest.killWorker(0),
    );
    expect(killed).toBe(true);
    const atKill = Number(await page.getByTestId('generation').textContent());
    expect(atKill).toBeLessThan(1000);
    await waitForRun(page, 120_000);
    expect(await page.getByTestId('run-notes').textContent()).toMatch(
      /The simulation worker stopped \(it stopped answering for 3 s\); a fresh worker took over and the run goes on from generation \d+ with the same numbers\./,
    );
    expect(await page.getByTestId('generation').textContent()).toBe('1000');
    expect(await readouts(page)).toBe(want);
    expect(await nonFinite(page)).toEqual([]);
    await screenshot(page, 'fault-worker-killed');
    expect(problems).toEqual([]);
    await page.close();
  });
});
