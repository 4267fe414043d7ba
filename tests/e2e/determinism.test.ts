// Determinism in the built app: the same link gives the same numbers after a reload (exactly), and
// the page and the CLI agree on the same recipe (the mixture's plain-TS engine, the same code): the
// median σ the page reads out is the CLI's at the last generation to 1e-12 relative (measured:
// 5e-16 apart; Node's and Chromium's JavaScript engines may round Math.exp and Math.log apart in
// the last bit).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/cli/runExperiment';
import { parseRecipe } from '../../src/core/recipe';
import { deserializeState } from '../../src/state/urlCodec';
import { launchBrowser, openPage, readouts, waitForRun } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the same link', { timeout: 200_000 }, () => {
  it('gives the same numbers after a reload', async () => {
    const { page, problems } = await openPage(browser, '#gens=300&reps=200&synth=0.9&seed=21');
    await waitForRun(page, 120_000);
    const first = await readouts(page);
    expect(first).toMatch(/\d/);
    await page.reload();
    await waitForRun(page, 120_000);
    expect(await readouts(page)).toBe(first);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('gives the page the numbers the CLI prints', async () => {
    const hash = '#model=gmm&engine=ts&gens=20&reps=8&M=200&K=2&seed=4';
    const { page, problems } = await openPage(browser, hash);
    await waitForRun(page, 120_000);
    const shown = Number(await page.getByTestId('gmm-std-median').getAttribute('data-value'));
    const parsed = parseRecipe(deserializeState(hash).recipe);
    if (!parsed.ok) throw new Error(parsed.error);
    const cli = await runExperiment(parsed.recipe);
    expect(cli.generations).toHaveLength(21);
    const want = cli.generations[20].stats.std.median;
    expect(Math.abs(shown - want) / Math.abs(want)).toBeLessThan(1e-12);
    expect(problems).toEqual([]);
    await page.close();
  });
});
