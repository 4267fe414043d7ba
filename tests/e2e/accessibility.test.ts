// Accessibility of every page and mode, as axe-core judges it: no serious or critical violation,
// with the page's disclosures (export, data table) open and a run under way. Adding a page or mode
// is one line in PAGES. Also: every control is reached by Tab and has a visible label, and the
// live region speaks each generation in words.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ChartTable } from '../../src/charts/chartTable';
import { densityTable } from '../../src/charts/densityChart';
import { histogramTable } from '../../src/charts/histogramChart';
import { perplexityTable } from '../../src/charts/perplexityHistogramChart';
import { rankFrequencyTable } from '../../src/charts/rankFrequencyChart';
import { scatterTables } from '../../src/charts/scatterChart';
import { launchChromium } from '../../src/cli/chromium';
import type { GmmModel } from '../../src/core/mixture';
import type { Gaussian1d } from '../../src/core/models/gaussian1d/gaussian';
import type { NgramShown } from '../../src/core/models/ngram/family';
import { MODELS, type Model } from '../../src/core/models/registry';
import { deserializeState } from '../../src/state/urlCodec';
import { EXTENTS } from '../../src/ui/realDensity';
import { splitByOrigin, syntheticFlags } from '../../src/ui/trainingSample';
import { seededRun } from '../unit/charts/seededRuns';
import { seriousViolations } from './axe';
import { nonFinite, openPage, screenshot, settle, tinyHash, waitForRun } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens every closed <details> so what they hold is scanned too. */
async function openDisclosures(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const d of Array.from(document.querySelectorAll('details'))) d.open = true;
  });
}

/** Small runs: the scan wants the page with figures drawn, not a long computation. */
const SMALL = 'gens=6&reps=4&M=200';

/** What each page shows once it is ready to scan (default: its figures, drawn or training). */
const FIGURE = 'figure svg, figure canvas';
const PAGES: { name: string; path: string; ready?: string }[] = [
  ...MODELS.map((m) => ({ name: `the lab, ${m} tab`, path: `#model=${m}&${SMALL}` })),
  {
    name: 'the embed',
    path: `embed.html#model=gaussian1d&${SMALL}&figure=std&controls=synth,play`,
  },
  {
    name: 'the embed, dark',
    path: `embed.html#model=gmm&${SMALL}&figure=gmm-scatter&controls=synth,K,play,step,reset&theme=dark`,
  },
  { name: 'the embed docs page', path: 'docs/embed.html', ready: '[data-testid="docs-snippet"]' },
  { name: 'the story', path: '' },
  {
    name: 'classroom mode',
    path: `?mode=classroom#${SMALL}`,
    ready: '[data-testid="guess-marker"]',
  },
];

describe('axe finds no serious or critical violation', () => {
  it.each(PAGES)(
    'on $name',
    async ({ name, path, ready = FIGURE }) => {
      const { page, problems } = await openPage(browser, path);
      await page.locator(ready).first().waitFor({ state: 'attached' });
      await page.waitForTimeout(500);
      await openDisclosures(page);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `a11y-${name.replace(/[^a-z0-9]+/gi, '-')}`);
      expect(problems).toEqual([]);
      await page.close();
    },
    90_000,
  );
});

describe('keyboard', () => {
  it('reaches every control of the lab by Tab, each with a visible label', async () => {
    const { page, problems } = await openPage(browser, `#${SMALL}`);
    await page.getByTestId('readout').waitFor();
    await openDisclosures(page);
    const controls = await page.evaluate(() =>
      Array.from(
        document.querySelectorAll<HTMLElement>(
          'main button, main input, main select, main summary',
        ),
      )
        .filter((el) => el.getClientRects().length > 0 && !(el as HTMLButtonElement).disabled)
        .map((el) => el.id || el.dataset.testid || el.textContent || el.tagName),
    );
    const reached = new Set<string>();
    for (let i = 0; i < controls.length * 2 + 20; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? el.id || el.dataset.testid || el.textContent || el.tagName : '';
      });
      reached.add(id);
    }
    // Radio groups take one Tab stop (arrows move within them): count a group once.
    const radios = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLInputElement>('main input[type=radio]')).map(
        (r) => ({ id: r.id || r.dataset.testid || '', name: r.name }),
      ),
    );
    const groupReached = new Set(radios.filter((r) => reached.has(r.id)).map((r) => r.name));
    const missed = controls.filter(
      (c) => !reached.has(c) && !radios.some((r) => r.id === c && groupReached.has(r.name)),
    );
    expect(missed).toEqual([]);
    // Every form control has a label a sighted reader sees.
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLInputElement>('main input, main select'))
        .filter((el) => el.type !== 'radio' && el.getClientRects().length > 0)
        .filter((el) => {
          const label = el.labels?.[0] ?? el.closest('label');
          return (
            !label || (label.textContent ?? '').trim() === '' || label.getClientRects().length === 0
          );
        })
        .map((el) => el.dataset.testid ?? el.id),
    );
    expect(unlabelled).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('plays, steps and resets from the keyboard alone', async () => {
    const { page, problems } = await openPage(browser, '#gens=30&reps=10');
    await page.getByTestId('run-status').filter({ hasText: 'simulated' }).waitFor();
    await page.locator('body').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('0');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('2');
    await page.getByTestId('reset').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('0');
    await page.getByTestId('play').focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('generation').textContent(), { timeout: 20_000 })
      .toBe('30');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('screen readers', () => {
  it('hear each generation in words from the live region, with the chart’s numbers', async () => {
    const { page, problems } = await openPage(browser, '#gens=40&reps=50&seed=3');
    await page.getByTestId('run-status').filter({ hasText: 'simulated' }).waitFor();
    const live = page.getByTestId('live-summary');
    await expect
      .poll(() => live.textContent(), { timeout: 10_000 })
      .toMatch(/^generation 40: spread [0-9.]+ of the original; tails [0-9.]+ %$/);
    const text = (await live.textContent()) as string;
    // The spread is the median σ at 40 over the median σ at 0, as the readout shows it.
    const spread = Number(/spread ([0-9.]+)/.exec(text)?.[1]);
    const std40 = Number(await page.getByTestId('std-median').textContent());
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('generation').textContent()).toBe('0');
    const std0 = Number(await page.getByTestId('std-median').textContent());
    expect(Math.abs(spread - std40 / std0)).toBeLessThan(0.02);
    expect(await live.getAttribute('aria-live')).toBe('polite');
    // The data table holds the same median as the readout.
    await page.getByText("The figures' numbers as a table").click();
    const row0 = page.getByTestId('data-table').locator('tbody tr').first();
    await expect.poll(() => row0.locator('td').first().textContent()).toContain(String(std0));
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('prefers-reduced-motion', () => {
  /** The generations the scrubber showed while playing a 200-generation run to its end. */
  async function shownWhilePlaying(reduced: boolean): Promise<number> {
    const context = await browser.newContext({
      reducedMotion: reduced ? 'reduce' : 'no-preference',
    });
    const page = await context.newPage();
    await page.goto(`${inject('baseURL')}#gens=200&reps=20`);
    await page.getByTestId('run-status').filter({ hasText: 'simulated' }).waitFor();
    await page.getByTestId('reset').click();
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { seen: Set<string> }).seen = seen;
      const out = document.querySelector('[data-testid="generation"]') as HTMLElement;
      new MutationObserver(() => seen.add(out.textContent ?? '')).observe(out, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.getByTestId('play').click();
    await expect
      .poll(() => page.getByTestId('generation').textContent(), { timeout: 30_000 })
      .toBe('200');
    const count = await page.evaluate(() => (window as unknown as { seen: Set<string> }).seen.size);
    await context.close();
    return count;
  }

  it('plays in a few discrete steps instead of animating frame by frame', async () => {
    // The run plays in about six seconds either way: one step a second when motion is reduced.
    expect(await shownWhilePlaying(true)).toBeLessThanOrEqual(9);
    expect(await shownWhilePlaying(false)).toBeGreaterThan(12);
  }, 90_000);
});

/** A table's body rows as the page shows them: header, and each cell's number (or its words). */
type Rows = { header: string; values: (number | string)[] }[];

async function readTable(page: Page, testId: string): Promise<Rows> {
  return page.getByTestId(testId).evaluate((table) =>
    Array.from(table.querySelectorAll('tbody tr')).map((tr) => ({
      header: tr.querySelector('th')?.textContent ?? '',
      values: Array.from(tr.querySelectorAll('td')).map((td) =>
        (td as HTMLElement).dataset.value === undefined
          ? (td.textContent ?? '')
          : Number((td as HTMLElement).dataset.value),
      ),
    })),
  );
}

/** What a table function gives, in the same shape (a range's median is its number). */
const rowsOf = (t: ChartTable): Rows =>
  t.rows.map((r) => ({
    header: r.header,
    values: r.cells.map((c) => (typeof c === 'object' ? c.value : c)),
  }));

/** The first `n` rows of the page's table are the expected ones (numbers to 1e-9 relative). */
function expectFirstRows(page: Rows, want: Rows, n = 4) {
  expect(page.length).toBeGreaterThan(0);
  expect(page.length).toBe(want.length);
  for (const [i, row] of want.slice(0, n).entries()) {
    expect(page[i].header).toBe(row.header);
    row.values.forEach((v, j) => {
      const got = page[i].values[j];
      if (typeof v === 'string' || typeof got === 'string') expect(got).toBe(v);
      else expect(Math.abs(got - v)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
    });
  }
}

/**
 * Per model, its smallest run (the plain-TypeScript mixture engine, so Node computes the same
 * numbers; the VAE with a 2-D latent space, so the latent scatter is drawn), the data tables its
 * tab shows, and a check of their first rows against the run: recomputed in Node from the same
 * recipe where the model runs in plain TypeScript, else against the numbers the charts' own
 * descriptions read out.
 */
const TABLES: Record<
  Model,
  {
    extra?: string;
    tables: string[];
    check: (page: Page, hash: string, shown: number) => Promise<void>;
  }
> = {
  gaussian1d: {
    tables: ['density-chart-table', 'histogram-chart-table'],
    check: async (page, hash, shown) => {
      const run = await seededRun<{ model: Gaussian1d }>(recipeOf(hash));
      const models = run.map((r) => r.chain.shown?.model ?? null);
      expectFirstRows(
        await readTable(page, 'density-chart-table'),
        rowsOf(densityTable({ models, shown })),
      );
      const r = run[shown];
      if (!r.chain.sample || !r.chain.shown) throw new Error('no sample');
      const want = histogramTable({ model: r.chain.shown.model, ...splitByOrigin(r.chain.sample) });
      expectFirstRows(await readTable(page, 'histogram-chart-table'), rowsOf(want));
    },
  },
  gmm: {
    extra: 'engine=ts',
    tables: ['gmm-scatter-table', 'gmm-scatter-table-points'],
    check: async (page, hash, shown) => {
      const run = await seededRun<{ model: GmmModel }>(recipeOf(hash));
      const r = run[shown];
      if (!r.chain.sample || !r.chain.shown) throw new Error('no sample');
      const [components, points] = scatterTables({
        model: r.chain.shown.model,
        samples: r.chain.sample.values,
        synthetic: syntheticFlags(r.chain.sample),
        density: () => 0,
        extent: EXTENTS.gaussian2d,
        levels: [],
      });
      expectFirstRows(await readTable(page, 'gmm-scatter-table'), rowsOf(components));
      expectFirstRows(await readTable(page, 'gmm-scatter-table-points'), rowsOf(points));
    },
  },
  vae: {
    extra: 'z=2',
    tables: [
      'vae-filmstrip-table',
      'vae-generations-table',
      'vae-class-histogram-table',
      'vae-latent-table',
    ],
    check: async (page, _hash, shown) => {
      // The class shares of the shown generation, as the chart's description reads them.
      const label = await page
        .locator('[data-testid="vae-class-histogram"] svg[role="img"]')
        .getAttribute('aria-label');
      const said = [...(label ?? '').matchAll(/(\d): (\d+) %/g)].map((m) => Number(m[2]));
      expect(said).toHaveLength(10);
      const rows = await readTable(page, 'vae-class-histogram-table');
      const row = rows.find((r) => r.header === String(shown));
      expect(row?.values.map((v) => Math.round(Number(v)))).toEqual(said);
      // The latent table counts the digits the latent scatter's description names.
      const latent = await page
        .locator('[data-testid="vae-latent"] svg[role="img"]')
        .getAttribute('aria-label');
      const n = Number(/Encoder means of (\d+)/.exec(latent ?? '')?.[1]);
      const counted = (await readTable(page, 'vae-latent-table')).reduce(
        (s, r) => s + Number(r.values[0]),
        0,
      );
      expect(counted).toBe(n);
      // The digit grids: 64 digits for the shown generation and for generation 0.
      const grids = await readTable(page, 'vae-filmstrip-table');
      expect(grids.map((r) => [r.header, r.values[0]])).toEqual([
        [`generation ${shown}`, 64],
        ['generation 0, trained on real digits only', 64],
      ]);
    },
  },
  diffusion: {
    tables: ['diffusion-scatter-table', 'diffusion-filmstrip-table'],
    check: async (page, _hash, shown) => {
      const label = await page
        .locator('[data-testid="diffusion-scatter"] svg[role="img"]')
        .getAttribute('aria-label');
      const n = Number(/^(\d+) points drawn/.exec(label ?? '')?.[1]);
      expect(n).toBeGreaterThan(0);
      const strip = await readTable(page, 'diffusion-filmstrip-table');
      expect(strip.map((r) => r.header)).toContain(String(shown));
      expect(strip.find((r) => r.header === String(shown))?.values[0]).toBe(Math.min(250, n));
      const points = await readTable(page, 'diffusion-scatter-table');
      expect(points.length).toBe(Math.min(10, n));
    },
  },
  ngram: {
    tables: ['ngram-zipf-table', 'ngram-perplexity-table'],
    check: async (page, hash, shown) => {
      const run = await seededRun<NgramShown>(recipeOf(hash));
      const zipf = rankFrequencyTable({
        curves: run.map((r) => r.chain.shown?.rankFrequency ?? null),
        real: run[0].chain.shown?.realRankFrequency ?? null,
        shown,
      });
      expectFirstRows(await readTable(page, 'ngram-zipf-table'), rowsOf(zipf), 11);
      const perplexity = perplexityTable({
        generations: run.map((r) => r.chain.shown?.passagePerplexity ?? null),
        shown,
      });
      expectFirstRows(await readTable(page, 'ngram-perplexity-table'), rowsOf(perplexity));
    },
  },
  transformer: {
    tables: ['transformer-perplexity-table'],
    check: async (page, _hash, shown) => {
      // A tfjs model (WebAssembly or WebGPU here, not Node's kernels): checked against the
      // histogram's own description ("… at generation 1, 32 passages, median 12.3.").
      const label = await page
        .locator('[data-testid="transformer-perplexity"] svg[role="img"]')
        .getAttribute('aria-label');
      const n = Number(/at generation \d+, (\d+) passages/.exec(label ?? '')?.[1]);
      expect(n).toBeGreaterThan(0);
      const rows = await readTable(page, 'transformer-perplexity-table');
      expect(rows.length).toBeGreaterThan(0);
      // One column per generation drawn (0 to the shown one), each a whole histogram in %.
      for (let g = 0; g <= shown; g++) {
        const total = rows.reduce((sum, r) => sum + Number(r.values[g]), 0);
        expect(Math.abs(total - 100), `generation ${g}`).toBeLessThan(0.01);
      }
      const header = await page
        .getByTestId('transformer-perplexity-table')
        .locator('thead th')
        .allTextContents();
      expect(header).toContain(`generation ${shown} (${n} passages)`);
    },
  },
};

function recipeOf(hash: string): Record<string, unknown> {
  return deserializeState(`#${hash}`).recipe as unknown as Record<string, unknown>;
}

describe('data tables', () => {
  it.each(MODELS.map((m) => ({ model: m })))(
    'on the $model tab, every chart has one whose first rows are the run’s numbers, and axe passes with them open',
    async ({ model }) => {
      const spec = TABLES[model];
      const hash = `${tinyHash(model)}${spec.extra ? `&${spec.extra}` : ''}`;
      const { page, problems } = await openPage(browser, `#${hash}`);
      await expect
        .poll(() => page.getByTestId('live-summary').textContent(), { timeout: 150_000 })
        .toMatch(/^generation 1\b/);
      const shown = Number(await page.getByTestId('generation').textContent());
      // Each chart's table is closed at first and rendered only once opened.
      // (The mitigation figure's is there too, hidden with its figure while no mitigation is on.)
      const toggles = page.locator('main details.chart-table:visible > summary');
      expect(await page.locator('.chart-table table').count()).toBe(0);
      // A lazily loaded view may draw its figures after the first generation is spoken: wait for
      // every chart's toggle before opening them.
      const figures = new Set(spec.tables.map((t) => t.replace(/-table.*$/, '')));
      for (const figure of figures) await page.getByTestId(`${figure}-table-toggle`).waitFor();
      for (const summary of await toggles.all()) await summary.click();
      // A disclosure's toggle event comes a task after the click: poll.
      await expect
        .poll(async () =>
          (
            await page
              .locator('.chart-table table')
              .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.testid ?? ''))
          ).sort(),
        )
        .toEqual([...spec.tables].sort());
      await spec.check(page, hash, shown);
      expect(await nonFinite(page)).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    },
    200_000,
  );
});

/** The cells' numbers of the row marked as the shown generation. */
async function currentRow(page: Page, testId: string): Promise<number[]> {
  return page
    .getByTestId(testId)
    .locator('tbody tr[aria-current="true"] td')
    .evaluateAll((tds) => tds.map((td) => Number((td as HTMLElement).dataset.value)));
}

async function openTable(page: Page, testId: string) {
  await page.getByTestId(`${testId}-toggle`).locator('summary').click();
  await page.getByTestId(testId).waitFor();
}

describe('data tables beside the model views', () => {
  it('the comparison’s and the mitigations’ give the readouts’ numbers at the shown generation', async () => {
    const { page, problems } = await openPage(
      browser,
      '#model=gaussian1d&gens=6&reps=8&M=200&tpr=0.9&fpr=0.05&synth=0.9&cmp=regime=replace,accumulate',
    );
    await waitForRun(page);
    await settle(page);
    await openTable(page, 'compare-std-table');
    const readouts = await Promise.all(
      [0, 1].map(async (i) =>
        Number(await page.getByTestId(`readout-${i}-std`).getAttribute('data-value')),
      ),
    );
    expect(await currentRow(page, 'compare-std-table')).toEqual(readouts);
    await page.getByTestId('end-comparison').click();
    await waitForRun(page);
    await settle(page);
    await openTable(page, 'mitigation-figure-table');
    const effective = Number(await page.getByTestId('effective-share').getAttribute('data-value'));
    const row = await currentRow(page, 'mitigation-figure-table');
    expect(row[0]).toBe(0.9);
    expect(row[1]).toBe(effective);
    expect(await nonFinite(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('the phase diagram’s lists its grid, top row first, as its cells say', async () => {
    const { page, problems } = await openPage(browser, '#model=gaussian1d&M=100&gens=20&reps=20');
    await waitForRun(page);
    await page.getByTestId('phase-panel').locator(':scope > summary').click();
    await page.getByTestId('phase-size').selectOption('5');
    await page.getByTestId('phase-replicates').selectOption('20');
    await page.getByTestId('phase-compute').click();
    await page
      .getByTestId('phase-status')
      .filter({ hasText: /25 cells from 5 runs/ })
      .waitFor({ timeout: 60_000 });
    await settle(page);
    await openTable(page, 'phase-chart-table');
    const top = (await readTable(page, 'phase-chart-table'))[0];
    // The chart's cell titles give each value to three significant digits.
    const titles = await page
      .getByTestId('phase-chart')
      .locator('rect.heat-cell[data-row="4"] title')
      .allTextContents();
    expect(titles).toHaveLength(5);
    titles.forEach((t, c) => {
      const said = Number(/: (\S+)$/.exec(t)?.[1]);
      const v = top.values[c] as number;
      expect(Math.abs(said - v)).toBeLessThanOrEqual(0.005 * Math.abs(v));
    });
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
