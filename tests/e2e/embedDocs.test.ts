// docs/embed.html as an author uses it: picks a model, a preset and a figure read from the live
// preview, ticks controls and a theme, and copies a snippet whose frame shows exactly that.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../../src/cli/chromium';
import { openPage } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it('builds the <iframe> snippet of the chosen model, recipe, figure, controls and theme', async () => {
  const { page, problems } = await openPage(browser, 'docs/embed.html');
  await page.getByTestId('docs-model').selectOption('gmm');
  await page.getByTestId('docs-preset').selectOption('Ring of 8');
  // The figure list comes from the preview's own view.
  const figure = page.getByTestId('docs-figure');
  await expect.poll(() => figure.locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(3);
  await figure.selectOption('gmm-scatter');
  await page.getByTestId('docs-control-step').check();
  await page.getByTestId('docs-control-K').check();
  await page.getByTestId('docs-theme').selectOption('dark');
  const snippet = (await page.getByTestId('docs-snippet').textContent()) as string;
  const src = /src="([^"]+)"/.exec(snippet)?.[1].replaceAll('&amp;', '&') as string;
  const url = new URL(src);
  expect(url.pathname).toMatch(/\/embed\.html$/);
  const params = new URLSearchParams(url.hash.slice(1));
  expect(params.get('model')).toBe('gmm');
  expect(params.get('dist')).toBe('ring8');
  expect(params.get('figure')).toBe('gmm-scatter');
  expect(params.get('controls')).toBe('synth,play,step,K');
  expect(params.get('theme')).toBe('dark');
  expect(snippet).toContain("addEventListener('message'");

  // The snippet's frame shows that figure, those controls, that theme.
  const frame = await browser.newPage();
  await frame.goto(src);
  await frame.locator('figure[data-embed-shown]').waitFor();
  expect(await frame.locator('figure[data-embed-shown]').getAttribute('data-testid')).toBe(
    'gmm-scatter',
  );
  expect(await frame.getByTestId('step').count()).toBe(1);
  expect(await frame.getByTestId('reset').count()).toBe(0);
  expect(await frame.locator('html').getAttribute('data-theme')).toBe('dark');
  expect(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
    'rgb(20, 23, 28)',
  );
  await frame.close();

  // A pasted lab link wins over the preset.
  await page.getByTestId('docs-link').fill('http://example.org/#model=gaussian1d&M=300&synth=0.5');
  const again = (await page.getByTestId('docs-snippet').textContent()) as string;
  expect(again).toContain('M=300');
  expect(again).toContain('synth=0.5');
  expect(problems).toEqual([]);
  await page.close();
}, 90_000);
