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
      const target = Math.min(60, Number(recipe.generations));
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
    150_000,
  );
});
