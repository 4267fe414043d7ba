// One generation in words, for screen readers ("generation 40: spread 0.61 of the original; tails
// 1.2 %") and the data tables: phrased from the model spec's metrics, so a new model's metrics are
// described too (by name, when no phrase below fits them).

import type { Model } from '../core/recipe';
import { specOf } from '../core/recipe';
import type { Summary } from '../core/summary';
import { fmt } from './format';

type Phrase = (median: number, first: number | undefined) => string;

const relative =
  (what: string): Phrase =>
  (v, v0) =>
    v0 !== undefined && v0 > 0 && Number.isFinite(v0)
      ? `${what} ${fmt(v / v0, 2)} of the original`
      : `${what} ${fmt(v)}`;

/** Phrases for the metrics (docs/architecture.md, "Metrics"), most telling first. */
const PHRASES: Record<string, Phrase> = {
  std: relative('spread'),
  tailMass: (v) => `tails ${fmt(v * 100, 2)} %`,
  modesAlive: (v) => `${fmt(v, 2)} modes alive`,
  latentStd: relative('latent spread'),
  classEntropy: (v) => `class entropy ${fmt(v)} bits`,
  vocabAlive: (v) => `${fmt(v)} word types alive`,
  perplexityReal: (v) => `perplexity of real text ${fmt(v)}`,
  recall: (v) => `recall ${fmt(v, 2)}`,
  diversity: (v) => `diversity ${fmt(v)}`,
};

/** The (at most two) metrics a summary names for `model`: phrased ones first, else the first two. */
export function summaryMetrics(model: Model): string[] {
  const metrics = specOf(model).metrics;
  const phrased = Object.keys(PHRASES).filter((m) => metrics.includes(m));
  return (phrased.length > 0 ? phrased : [...metrics]).slice(0, 2);
}

type Stats = Record<string, Summary | null | undefined>;

/** "generation g: …; …" from the medians across chains (generation 0's as "the original"). */
export function describeGeneration(
  model: Model,
  generation: number,
  stats: Stats,
  first: Stats | undefined,
): string {
  const parts = summaryMetrics(model).map((m) => {
    const v = stats[m]?.median;
    if (v === undefined || !Number.isFinite(v)) return `${m} not a number`;
    const phrase = PHRASES[m];
    return phrase ? phrase(v, first?.[m]?.median) : `${m} ${fmt(v)}`;
  });
  return `generation ${generation}: ${parts.join('; ')}`;
}
