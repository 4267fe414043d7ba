// Sharing and files, as a reader uses them: a copied link reopens the same numbers (with and
// without the Clipboard API), a corrected link's note can be dismissed, the exported CSV and JSON
// match the run (and the CLI), the JSON re-imports (picker or drop) to identical numbers, a bad
// file gets a message and changes nothing, and each figure exports as SVG and PNG.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/cli/chromium';
import { runExperiment } from '../../src/cli/runExperiment';
import { recipeJson, statsCsv } from '../../src/core/export';
import { parseRecipe } from '../../src/core/recipe';
import { openPage, waitForRun } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function downloadOf(page: Page, testId: string): Promise<{ name: string; path: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click(),
  ]);
  return { name: download.suggestedFilename(), path: (await download.path()) as string };
}

async function openExport(page: Page) {
  await page.getByText('Export and import').click();
}

const RECIPE = { generations: 8, replicates: 20, samplesPerGeneration: 50, seed: 5 };
const HASH = '#gens=8&reps=20&M=50&seed=5';

describe('share links', () => {
  it('copies a link that reopens the same numbers', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await context.newPage();
    const base = (await openPage(browser)).page;
    const origin = new URL(base.url()).origin;
    await base.close();
    await page.goto(`${origin}/${HASH}&synth=0.7`);
    await waitForRun(page);
    const median = await page.getByTestId('std-median').textContent();
    await page.getByTestId('copy-link').click();
    await expect.poll(() => page.getByTestId('copy-status').textContent()).toMatch(/Link copied/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(page.url());
    expect(copied).toContain('synth=0.7');
    const again = await context.newPage();
    await again.goto(copied);
    await waitForRun(again);
    expect(await again.getByTestId('std-median').textContent()).toBe(median);
    await context.close();
  }, 60_000);

  it('copies through the fallback where the Clipboard API is missing', async () => {
    const { page, problems } = await openPage(browser, HASH);
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    });
    const copied = page.evaluate(
      () =>
        new Promise<string>((resolve) =>
          document.addEventListener('copy', () =>
            resolve((document.activeElement as HTMLTextAreaElement).value),
          ),
        ),
    );
    await page.getByTestId('copy-link').click();
    expect(await copied).toBe(page.url());
    await expect.poll(() => page.getByTestId('copy-status').textContent()).toMatch(/Link copied/);
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('shows what a corrected link changed until the reader dismisses it', async () => {
    const { page, problems } = await openPage(browser, '#M=lots&gens=5000');
    const note = page.getByTestId('messages');
    await expect.poll(() => note.textContent()).toMatch(/samplesPerGeneration: expected a number/);
    expect(await note.textContent()).toMatch(/generations: 5000 is outside/);
    await page.getByRole('button', { name: 'Dismiss messages' }).click();
    await expect.poll(() => note.count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);
});

describe('export and import', () => {
  it('exports CSV and JSON that match the run; the JSON re-imports to identical numbers', async () => {
    const { page, problems } = await openPage(browser, HASH);
    await waitForRun(page);
    await openExport(page);
    const csv = await downloadOf(page, 'export-csv');
    expect(csv.name).toBe('collapse-lab-gaussian1d-seed5.csv');
    const csvText = readFileSync(csv.path, 'utf8');
    const json = await downloadOf(page, 'export-json');
    const jsonText = readFileSync(json.path, 'utf8');

    // The page's numbers are the CLI's: the same draws; sums over chains merged from the worker
    // pool may round differently in the last bits (relative 1e-12).
    const parsed = parseRecipe(RECIPE);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(jsonText).toBe(recipeJson(parsed.recipe));
    const cli = statsCsv('gaussian1d', (await runExperiment(parsed.recipe)).generations);
    const cells = (text: string) =>
      text
        .trimEnd()
        .split('\n')
        .map((l) => l.split(','));
    const [pageCells, cliCells] = [cells(csvText), cells(cli)];
    expect(pageCells[0]).toEqual(cliCells[0]);
    expect(pageCells).toHaveLength(cliCells.length);
    for (let i = 1; i < cliCells.length; i++)
      for (let j = 0; j < cliCells[i].length; j++) {
        const [a, b] = [Number(pageCells[i][j]), Number(cliCells[i][j])];
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
      }
    // The last row holds the readout's median.
    const lines = csvText.trimEnd().split('\n');
    const header = lines[0].split(',');
    const last = lines[9].split(','); // generation 8
    expect(Number(last[header.indexOf('std_median')]).toPrecision(3)).toBe(
      await page.getByTestId('std-median').textContent(),
    );

    // Another seed, other numbers; the import brings the recipe and its numbers back.
    await page.getByTestId('seed').fill('6');
    await expect.poll(() => page.url()).toContain('seed=6');
    await waitForRun(page);
    expect(readFileSync((await downloadOf(page, 'export-csv')).path, 'utf8')).not.toBe(csvText);
    await page.getByTestId('import-recipe').setInputFiles(json.path);
    await expect.poll(() => page.url()).toContain('seed=5');
    await waitForRun(page);
    expect(readFileSync((await downloadOf(page, 'export-csv')).path, 'utf8')).toBe(csvText);

    // Dropped on the page, the same file does the same.
    await page.getByTestId('seed').fill('7');
    await waitForRun(page);
    await page.evaluate(async (text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'recipe.json', { type: 'application/json' }));
      document.body.dispatchEvent(
        new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
      );
    }, jsonText);
    await expect.poll(() => page.url()).toContain('seed=5');
    await waitForRun(page);
    expect(readFileSync((await downloadOf(page, 'export-csv')).path, 'utf8')).toBe(csvText);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('answers a bad file with a message and changes nothing', async () => {
    const { page, problems } = await openPage(browser, HASH);
    await waitForRun(page);
    await openExport(page);
    const url = page.url();
    for (const [name, text, message] of [
      ['notes.json', '<img src=x onerror=alert(1)>', /not JSON/],
      ['recipe.json', '{"generations": "many"}', /generations: expected a number/],
      ['recipe.json', '{"__proto__": {"polluted": 1}}', /__proto__: unknown field/],
    ] as const) {
      await page.getByTestId('import-recipe').setInputFiles({
        name,
        mimeType: 'application/json',
        buffer: Buffer.from(text),
      });
      await expect.poll(() => page.getByTestId('messages').textContent()).toMatch(message);
      expect(page.url()).toBe(url);
    }
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => ({}) as Record<string, unknown>)).toEqual({});
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it.each([
    ['gaussian1d', HASH, 'std-chart'],
    // Its curves' colours are mixed by the browser (color-mix): written out as rgb().
    ['gaussian1d density', HASH, 'density-chart'],
    ['gmm', '#model=gmm&gens=4&reps=4&M=200&engine=ts', 'gmm-scatter'],
  ])(
    'exports a %s figure as SVG and PNG',
    async (_, hash, figure) => {
      const { page, problems } = await openPage(browser, hash);
      await waitForRun(page);
      await openExport(page);
      await page.getByTestId('export-figure').selectOption(figure);
      const svg = readFileSync((await downloadOf(page, 'export-svg')).path, 'utf8');
      expect(svg).toMatch(/^<\?xml/);
      // Standalone: it parses as XML, draws paths, and needs none of the page's stylesheet (nor
      // a reader of CSS Color 4).
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          paths: doc.querySelectorAll('path').length,
          vars: /var\(--|color\(|color-mix\(/.test(text),
        };
      }, svg);
      expect(parsed).toEqual({ error: null, paths: expect.any(Number), vars: false });
      expect(parsed.paths).toBeGreaterThan(2);
      const png = readFileSync((await downloadOf(page, 'export-png')).path);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBeGreaterThan(200); // width in pixels
      expect(problems).toEqual([]);
      await page.close();
    },
    60_000,
  );
});
