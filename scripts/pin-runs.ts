// Records the outputs of tests/unit/core/pinnedRuns.ts's recipes into
// tests/unit/core/fixtures/pinned-runs.json. Run once before a change that must not move any
// number (`npx tsx scripts/pin-runs.ts`); the test then holds the new code to these outputs.
import { writeFileSync } from 'node:fs';
import { simulateGmm } from '../src/core/gmmLoop';
import { simulateGaussian1d } from '../src/core/loop';
import { parseRecipe } from '../src/core/recipe';
import { fingerprint, PINNED_RECIPES, type PinnedGeneration } from '../tests/unit/core/pinnedRuns';

async function main() {
  const out: Record<string, PinnedGeneration[]> = {};
  for (const [name, raw] of Object.entries(PINNED_RECIPES)) {
    const parsed = parseRecipe(raw);
    if (!parsed.ok) throw new Error(parsed.error);
    const r = parsed.recipe;
    const gens: PinnedGeneration[] = [];
    if (r.model === 'gaussian1d') {
      for (const g of simulateGaussian1d(r)) {
        gens.push({
          generation: g.generation,
          stats: g.stats as unknown as PinnedGeneration['stats'],
          chain: {
            model: g.chain.model,
            training: g.chain.training,
            synthetic: fingerprint(g.chain.syntheticSamples),
            real: fingerprint(g.chain.realSamples),
          },
        });
      }
    } else if (r.model === 'gmm') {
      for await (const g of simulateGmm(r)) {
        gens.push({
          generation: g.generation,
          stats: g.stats as unknown as PinnedGeneration['stats'],
          chain: {
            weights: Array.from(g.chain.model.weights),
            means: Array.from(g.chain.model.means),
            covariances: Array.from(g.chain.model.covariances),
            training: g.chain.training,
            samples: fingerprint(g.chain.samples),
            synthetic: fingerprint(g.chain.synthetic),
          },
        });
      }
    }
    out[name] = gens;
  }
  writeFileSync('tests/unit/core/fixtures/pinned-runs.json', `${JSON.stringify(out)}\n`);
}

main();
