// One generation in words, for screen readers ("generation 40: spread 0.61 of the original; tails
// 1.2 %") and the data tables: phrased from the model spec's metrics (their `spoken` phrasing), so
// a new model's metrics are described too (by name, when the spec gives no phrasing).

import type { SpokenMetric } from '../core/models/spec';
import type { Model } from '../core/recipe';
import { specOf } from '../core/recipe';
import type { Summary } from '../core/summary';
import { fmt } from './format';

/** A median as its spec says it; `first`, generation 0's, for a relative metric. */
function say(p: SpokenMetric, v: number, first: number | undefined): string {
  if (p.relative && first !== undefined && first > 0 && Number.isFinite(first))
    return `${p.before} ${fmt(v / first, 2)} of the original`;
  const value = fmt(v * (p.times ?? 1), p.digits);
  return [p.before, value, p.after].filter((w) => w !== undefined).join(' ');
}

/** The (at most two) metrics a summary names for `model`: the spec's, else the first two. */
export function summaryMetrics(model: Model): string[] {
  const spec = specOf(model);
  return [...(spec.spoken ?? spec.metrics)].slice(0, 2);
}

type Stats = Record<string, Summary | null | undefined>;

/** "generation g: …; …" from the medians across chains (generation 0's as "the original"). */
export function describeGeneration(
  model: Model,
  generation: number,
  stats: Stats,
  first: Stats | undefined,
): string {
  const info = specOf(model).metricInfo;
  const parts = summaryMetrics(model).map((m) => {
    const v = stats[m]?.median;
    if (v === undefined || !Number.isFinite(v)) return `${m} not a number`;
    const spoken = info[m]?.spoken;
    return spoken ? say(spoken, v, first?.[m]?.median) : `${m} ${fmt(v)}`;
  });
  return `generation ${generation}: ${parts.join('; ')}`;
}
