// The boundary between results and views: nothing NaN reaches a chart or a readout. A metric whose
// summary is not a number (every chain failed) becomes null, chain 1's model or training sample
// with a non-finite number becomes null, and the result carries notes the views show instead.
// ±∞ stay where they mean something (KL to a collapsed model): charts pin them to the axis end
// and readouts print ∞.
import type {
  ChainView,
  GenerationResult,
  MitigationTotals,
  TrainingSample,
} from '../core/generation/types';
import type { Summary } from '../core/summary';

export interface ShownChain<Shown> extends Omit<ChainView<Shown>, 'shown' | 'sample'> {
  shown: Shown | null;
  sample: TrainingSample | null;
}

/** A generation as views get it. */
export interface ShownResult<Metric extends string = string, Shown = unknown> {
  generation: number;
  stats: Record<Metric, Summary | null>;
  chain: ShownChain<Shown>;
  /** Mitigation counts summed over chains (only with a mitigation on); counts, always finite. */
  mitigations?: MitigationTotals;
  /** What the guard left out, in words. */
  notes: string[];
}

const SUMMARY_FIELDS = ['mean', 'median', 'q05', 'q25', 'q75', 'q95'] as const;

/** True when every number inside `v` (objects, arrays, typed arrays) is finite. */
export function allFinite(v: unknown, depth = 0): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null || typeof v !== 'object' || depth > 4) return true;
  if (ArrayBuffer.isView(v)) {
    if (v instanceof Float32Array || v instanceof Float64Array) {
      for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
    }
    return true;
  }
  for (const x of Object.values(v)) if (!allFinite(x, depth + 1)) return false;
  return true;
}

export function guardResult<Metric extends string, Shown>(
  r: GenerationResult<Metric, Shown>,
): ShownResult<Metric, Shown> {
  const notes: string[] = [];
  const stats = {} as Record<Metric, Summary | null>;
  for (const [m, s] of Object.entries(r.stats) as [Metric, Summary][]) {
    if (SUMMARY_FIELDS.some((f) => Number.isNaN(s[f]))) {
      stats[m] = null;
      notes.push(`${m} is not a number in any chain at generation ${r.generation}`);
    } else {
      stats[m] = s;
      if (s.nonFinite)
        notes.push(
          `${m}: ${s.nonFinite} chain${s.nonFinite > 1 ? 's' : ''} gave no number at generation ${r.generation} and ${s.nonFinite > 1 ? 'are' : 'is'} left out`,
        );
    }
  }
  const shownOk = allFinite(r.chain.shown);
  const sampleOk = r.chain.sample === null || allFinite(r.chain.sample.values);
  if (!shownOk) notes.push(`chain 1's model is not finite at generation ${r.generation}`);
  if (!sampleOk)
    notes.push(`chain 1's training points are not finite at generation ${r.generation}`);
  return {
    generation: r.generation,
    stats,
    chain: {
      training: r.chain.training,
      shown: shownOk ? r.chain.shown : null,
      sample: sampleOk ? r.chain.sample : null,
    },
    ...(r.mitigations ? { mitigations: r.mitigations } : {}),
    notes,
  };
}
