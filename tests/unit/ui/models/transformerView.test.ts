// @vitest-environment jsdom
// The transformer's view on a fabricated run of two generations (no tfjs): the passage panel lists
// chain 1's continuation at each generation with the shown one marked, the paper's histogram draws
// an outline per generation with its data table, every metric of the spec has its chart (with the
// real text's reference line where there is one), and no NaN or Infinity reaches the page even
// when a metric is not a number, a median is infinite, or a generation's passages are not finite.
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationResult } from '../../../../src/core/generation/types';
import type { TransformerShown } from '../../../../src/core/models/transformer/shown';
import {
  TRANSFORMER_METRICS,
  type TransformerMetric,
} from '../../../../src/core/models/transformer/spec';
import { parseRecipe } from '../../../../src/core/recipe';
import type { Summary } from '../../../../src/core/summary';
import { type AppStore, createAppStore, StoreProvider } from '../../../../src/state/store';
import {
  TRANSFORMER_FIGURES,
  TransformerNotes,
  TransformerView,
} from '../../../../src/ui/models/transformer/TransformerView';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

beforeAll(() => {
  // jsdom has no layout: the charts observe their container's size.
  class Observer {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.assign(globalThis, { ResizeObserver: Observer });
});

const PROMPT = 'It is a truth universally acknowledged, that a single man';
const PASSAGES = [
  ' in possession of a good fortune, must be in want of a wife.',
  ' in possession of a good fortune, must be in want of a good fortune.',
  ' of a good of a good of a good of a good.',
];

const summary = (v: number): Summary => ({
  mean: v,
  median: v,
  q05: v,
  q25: v,
  q75: v,
  q95: v,
});

function result(
  generation: number,
  stats: Partial<Record<TransformerMetric, Summary>> = {},
  perplexity = [10, 12, 14, 20, 35].map((p) => p / (1 + generation)),
): GenerationResult<TransformerMetric, TransformerShown> {
  const all = Object.fromEntries(
    TRANSFORMER_METRICS.map((m) => [m, stats[m] ?? summary(1 + generation)]),
  ) as Record<TransformerMetric, Summary>;
  return {
    generation,
    stats: all,
    chain: {
      training: { size: 16, synthetic: generation === 0 ? 0 : 16, real: generation === 0 ? 16 : 0 },
      sample: null,
      shown: {
        prompt: PROMPT,
        passage: PASSAGES[generation],
        passagePerplexity: Float64Array.from(perplexity),
        samples: [PROMPT + PASSAGES[generation]],
        reference: { vocabAlive: 900, distinct2: 0.95, repetition: 0.01, entropy: 8.5 },
        tensors: 12,
      },
    },
  };
}

function storeWith(results: GenerationResult[]): AppStore {
  const parsed = parseRecipe({
    model: 'transformer',
    generations: results.length - 1,
    replicates: 1,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const store = createAppStore(parsed.recipe);
  const runId = store.getState().startRun();
  store.getState().appendResults(runId, results);
  store.getState().finishRun(runId, 'done', 5);
  return store;
}

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.replaceChildren();
});

function mount(store: AppStore, view = TransformerView): HTMLElement {
  const host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => root?.render(createElement(StoreProvider, { value: store }, createElement(view))));
  return host;
}

/** Every attribute and text on the page that spells a non-finite number. */
function nonFinite(host: HTMLElement): string[] {
  const bad: string[] = [];
  for (const el of Array.from(host.querySelectorAll('*')))
    for (const a of Array.from(el.attributes))
      if (/NaN|Infinity/.test(a.value)) bad.push(`<${el.tagName} ${a.name}="${a.value}">`);
  if (/NaN|Infinity/.test(host.textContent ?? '')) bad.push(`text: ${host.textContent}`);
  return bad;
}

/** Opens every data table (a disclosure renders its table only while open). */
function openTables(host: HTMLElement) {
  for (const d of Array.from(host.querySelectorAll('details'))) {
    act(() => {
      d.open = true;
      d.dispatchEvent(new Event('toggle'));
    });
  }
}

const byId = (host: HTMLElement, id: string) =>
  host.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;

describe('the transformer view', () => {
  it('shows a passage per generation, the histogram, every metric chart and the readout', () => {
    const host = mount(storeWith([result(0), result(1)]));
    for (const g of [0, 1]) {
      const li = byId(host, `transformer-passage-${g}`);
      expect(li?.textContent).toBe(`Generation ${g} ${PROMPT}${PASSAGES[g]}`);
      expect(li?.classList.contains('shown')).toBe(g === 1);
    }
    expect(byId(host, 'transformer-passages')?.textContent).toContain(`continues “${PROMPT}”`);

    const histogram = byId(host, 'transformer-perplexity');
    const outlines = histogram?.querySelectorAll('path.perplexity-outline') ?? [];
    expect(outlines.length).toBe(2);
    for (const p of Array.from(outlines)) expect(p.getAttribute('d')).toMatch(/^M/);
    expect(histogram?.querySelector('svg')?.getAttribute('aria-label')).toContain(
      'at generation 1, 5 passages',
    );

    expect(TRANSFORMER_FIGURES.map((f) => f.metric)).toEqual([...TRANSFORMER_METRICS]);
    for (const m of TRANSFORMER_METRICS) {
      const fig = byId(host, `transformer-${m}`);
      expect(fig, m).not.toBeNull();
      expect(fig?.querySelector('path.median-line')?.getAttribute('d'), m).toMatch(/^M/);
    }
    // The real text's values as reference lines where the spec's metric has one.
    for (const m of ['vocabAlive', 'distinct2', 'repetition', 'entropy'])
      expect(byId(host, `transformer-${m}`)?.textContent, m).toMatch(/real \d/);
    for (const m of ['perplexityReal', 'perplexityBase'])
      expect(byId(host, `transformer-${m}`)?.textContent, m).not.toMatch(/real \d/);

    expect(byId(host, 'transformer-distinct2-median')?.textContent).toBe('2.00');
    expect(byId(host, 'transformer-training')?.textContent).toBe(
      '16 passages: 16 synthetic, 0 real',
    );

    openTables(host);
    const table = byId(host, 'transformer-perplexity-table');
    expect(table?.querySelectorAll('thead th').length).toBe(3);
    expect(table?.textContent).toContain('generation 1 (5 passages)');
    expect(nonFinite(host)).toEqual([]);
  });

  it('keeps NaN and Infinity off the page when a metric or a passage is not finite', () => {
    const nan = summary(Number.NaN);
    const host = mount(
      storeWith([
        result(0),
        result(1, {
          entropy: nan,
          distinct2: nan,
          perplexityBase: summary(Number.POSITIVE_INFINITY),
        }),
        result(2, { repetition: nan }, [10, Number.NaN, 12]),
      ]),
    );
    // The generation whose passages are not finite drops out of the panel and the histogram.
    expect(byId(host, 'transformer-passage-1')).not.toBeNull();
    expect(byId(host, 'transformer-passage-2')).toBeNull();
    expect(
      byId(host, 'transformer-perplexity')?.querySelectorAll('path.perplexity-outline').length,
    ).toBe(2);
    for (const m of TRANSFORMER_METRICS) expect(byId(host, `transformer-${m}`), m).not.toBeNull();
    expect(byId(host, 'transformer-repetition-median')?.textContent).toBe('–');
    openTables(host);
    expect(nonFinite(host)).toEqual([]);
  });

  it('has notes that name the protocol and what to look for', () => {
    const host = mount(storeWith([result(0)]), TransformerNotes);
    const text = host.textContent ?? '';
    expect(text).toContain('scripts/pretrain-transformer.ts');
    expect(text).toContain('generation 9');
    expect(text).toContain('10 % real text');
  });
});
