// Per generation, what a run's mitigations did (docs/architecture.md, "Mitigations"): the
// synthetic share that reached training after the filter, the share of real points the filter
// dropped, the scheduled share, and the generations where a chain starved. Counts are summed over
// chains, so the shares are pooled over the run, not medians.
import { effectiveSyntheticShare, syntheticShareAt } from '../core/generation/mitigations';
import type { LoopRecipe } from '../core/generation/types';
import type { ShownResult } from './guard';

/** Generations where at least one chain starved (kept its previous model). */
export function starvedGenerations(results: readonly ShownResult[]): number[] {
  const out: number[] = [];
  for (const r of results) if ((r.mitigations?.starved ?? 0) > 0) out.push(r.generation);
  return out;
}

/**
 * Of generation n's new points that reached training, the synthetic share (null: none did). A run
 * without a filter keeps every point, so there it is the share the recipe asks for.
 */
export function effectiveShares(
  results: readonly ShownResult[],
  recipe: LoopRecipe,
): (number | null)[] {
  return results.map((r) =>
    r.mitigations
      ? r.generation === 0
        ? 0
        : effectiveSyntheticShare(r.mitigations)
      : syntheticShareAt(recipe, r.generation),
  );
}

/** Of generation n's new real points, the share the filter dropped (null: none drawn). */
export function realLostShares(results: readonly ShownResult[]): (number | null)[] {
  return results.map((r) => {
    const m = r.mitigations;
    return m && m.drawnReal > 0 ? m.flaggedReal / m.drawnReal : r.generation === 0 ? 0 : null;
  });
}

/** The share the recipe asks for at each generation 0…generations (the schedule, or the constant). */
export function scheduledShares(recipe: LoopRecipe): number[] {
  return Array.from({ length: recipe.generations + 1 }, (_, n) => syntheticShareAt(recipe, n));
}
