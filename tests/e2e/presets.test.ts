// Every preset of every model, clicked as a reader would, in the built app: the run gets well
// under way (60 generations, or to its end) with no console error and nothing NaN or Infinite in
// any drawn attribute or readout. "25 modes" once drew NaN ellipses from generation ~35 on.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/cli/chromium';
import { MODEL_SPECS, MODELS } from '../../src/core/models/registry';
import { nonFinite, openPage, screenshot } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

const cases = MODELS.flatMap((model) =>
  MODEL_SPECS[model].presets.map((p) => ({ model, name: p.name, recipe: p.recipe })),
);

describe('every preset', () => {
  it('has presets to try', () => {
    expect(cases.length).toBeGreaterThan(3);
  });

  it.each(cases)(
    '$model "$name" runs clean',
    async ({ model, name, recipe }) => {
      const { page, problems } = await openPage(browser, `#model=${model}`);
      await page.getByTestId(`preset-${slug(name)}`).click();
      // The transformer fine-tunes a network per generation (seconds each on WebAssembly, and
      // its presets decode with 5-beam search): its first generation's text is its run under way.
      const target = model === 'transformer' ? 0 : Math.min(60, Number(recipe.generations));
      if (model === 'transformer') {
        await page.getByTestId('transformer-passage-0').waitFor({ timeout: 240_000 });
      }
      await expect
        .poll(async () => Number(await page.getByTestId('generation').textContent()), {
          timeout: 90_000,
        })
        .toBeGreaterThanOrEqual(target);
      expect(await nonFinite(page)).toEqual([]);
      await screenshot(page, `preset-${model}-${slug(name)}`);
      expect(problems).toEqual([]);
      await page.close();
    },
    300_000,
  );
});

// Links at the ends of the sliders, as a reader (or a mangled link) reaches them: λ = 2 makes the
// spread grow without bound (σ ≈ 1e146 after 1,000 generations), λ = 0.1 collapses it.
const EXTREMES = [
  '#temp=2&gens=1000',
  '#temp=0.1&gens=1000&reps=100',
  '#synth=0&regime=accumulate&gens=1000&M=10&reps=50',
  '#model=gmm&temp=2&gens=300&reps=4&M=200&engine=ts',
  '#model=gmm&dist=bimodal1d&temp=0.1&gens=300&reps=4&M=200&engine=ts',
  '#model=gmm&dist=ring8&K=25&M=30&gens=100&reps=3&engine=ts',
  // Greedy decoding at the coldest temperature on a 5-gram of one passage: loops of one word.
  '#model=ngram&temp=0.1&topk=1&n=5&M=1&gens=60&reps=2',
  // Add-k at its largest k and the hottest temperature: near-uniform noise over 8,192 words.
  '#model=ngram&sm=addk&addk=10&temp=2&M=4&gens=20&reps=2',
];

describe('extreme links', () => {
  it.each(EXTREMES)(
    '%s runs to the end clean',
    async (hash) => {
      const { page, problems } = await openPage(browser, hash);
      await page
        .getByTestId('run-status')
        .filter({ hasText: 'simulated' })
        .waitFor({ timeout: 120_000 });
      expect(await nonFinite(page)).toEqual([]);
      // Scrub back through the run: every generation's drawing is clean too.
      const last = Number(await page.getByTestId('scrubber').getAttribute('max'));
      for (const g of [1, Math.floor(last / 3), Math.floor((2 * last) / 3)]) {
        await page.getByTestId('scrubber').fill(String(g));
        await expect.poll(() => page.getByTestId('generation').textContent()).toBe(String(g));
        expect(await nonFinite(page)).toEqual([]);
      }
      expect(problems).toEqual([]);
      await page.close();
    },
    150_000,
  );
});
