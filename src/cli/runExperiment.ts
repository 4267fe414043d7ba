// One whole run of a recipe in Node, as the CLI and exports report it: per-generation summaries
// across replicates (chain-level samples left out), what chain 1 trained on (with a mitigation on,
// its filter counts too, and the counts summed over chains), the backend, and the theory where
// there is one.
import { simulate } from '../core/generation/loop';
import type { MitigationTotals, TrainingComposition } from '../core/generation/types';
import type { AnyRecipe } from '../core/recipe';
import { forRecipe } from '../core/recipe';
import type { Summary } from '../core/summary';
import { nodeJob } from '../engine/job/nodeJob';
import type { Notice } from '../engine/job/protocol';
import { prepareFamily } from '../engine/models/registry';

export interface ExperimentOutput {
  recipe: AnyRecipe;
  /** The tfjs backend, 'ts' for the plain-TypeScript mixture engine, 'cpu' for plain JS models. */
  backend: string;
  backendReason?: string;
  elapsedMs: number;
  generations: {
    generation: number;
    stats: Record<string, Summary>;
    /** Chain 1's training set: its size, synthetic and real points (and mitigation counts). */
    training: TrainingComposition;
    /** Mitigation counts summed over chains (only with a mitigation on). */
    mitigations?: MitigationTotals;
    /** The text models: chain 1's sampled passages as text, to read what the model wrote. */
    samples?: string[];
  }[];
  theory: unknown;
  notices: Notice[];
}

/** A text model's sampled passages (its shown `samples`), as the output's field. */
function textSamples(shown: unknown): { samples?: string[] } {
  const samples = (shown as { samples?: unknown } | null)?.samples;
  return Array.isArray(samples) && samples.every((s) => typeof s === 'string') ? { samples } : {};
}

export async function runExperiment(
  recipe: AnyRecipe,
  backendOverride: string | null = null,
): Promise<ExperimentOutput> {
  const job = nodeJob(backendOverride);
  const family = await prepareFamily(recipe, job);
  const start = performance.now();
  const generations: ExperimentOutput['generations'] = [];
  for await (const g of simulate(recipe, family)) {
    generations.push({
      generation: g.generation,
      stats: g.stats,
      training: g.chain.training,
      ...(g.mitigations ? { mitigations: g.mitigations } : {}),
      ...textSamples(g.chain.shown),
    });
  }
  return {
    recipe,
    backend: job.backend?.name ?? 'cpu',
    ...(job.backend ? { backendReason: job.backend.reason } : {}),
    elapsedMs: Math.round((performance.now() - start) * 10) / 10,
    generations,
    theory: forRecipe(recipe).theory?.(recipe) ?? null,
    notices: job.notices,
  };
}
