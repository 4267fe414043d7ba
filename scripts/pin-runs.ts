// Records the outputs of tests/unit/core/pinnedRuns.ts's recipes, run through the generation loop
// (src/core/generation) exactly as tests/unit/core/pinned.test.ts runs them, into
// tests/unit/core/fixtures/pinned-runs.json (or the path given). Run once before a change that
// must not move any number (`npx tsx scripts/pin-runs.ts [out.json]`); the test then holds the
// new code to these outputs.
import { writeFileSync } from 'node:fs';
import { simulate } from '../src/core/generation/loop';
import { REAL } from '../src/core/generation/types';
import { gaussianFamily } from '../src/core/models/gaussian1d/family';
import { gmmFamily } from '../src/core/models/gmm/family';
import { parseRecipe } from '../src/core/recipe';
import { fingerprint, PINNED_RECIPES, type PinnedGeneration } from '../tests/unit/core/pinnedRuns';

async function run(raw: Record<string, unknown>): Promise<PinnedGeneration[]> {
  const parsed = parseRecipe(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  const r = parsed.recipe;
  const gens: PinnedGeneration[] = [];
  if (r.model === 'gaussian1d') {
    for await (const g of simulate(r, gaussianFamily(r))) {
      const sample = g.chain.sample;
      if (!sample) throw new Error('no training sample');
      const pick = (synthetic: boolean) =>
        sample.values.filter((_, i) => (sample.origin[i] !== REAL) === synthetic);
      gens.push({
        generation: g.generation,
        stats: g.stats as unknown as PinnedGeneration['stats'],
        chain: {
          model: g.chain.shown.model,
          training: g.chain.training,
          synthetic: fingerprint(pick(true)),
          real: fingerprint(pick(false)),
        },
      });
    }
  } else if (r.model === 'gmm') {
    for await (const g of simulate(r, gmmFamily(r))) {
      const sample = g.chain.sample;
      if (!sample) throw new Error('no training sample');
      const model = g.chain.shown.model;
      gens.push({
        generation: g.generation,
        stats: g.stats as unknown as PinnedGeneration['stats'],
        chain: {
          weights: Array.from(model.weights),
          means: Array.from(model.means),
          covariances: Array.from(model.covariances),
          training: g.chain.training,
          samples: fingerprint(sample.values),
          synthetic: fingerprint(Uint8Array.from(sample.origin, (o) => (o === REAL ? 0 : 1))),
        },
      });
    }
  }
  return gens;
}

async function main() {
  const path = process.argv[2] ?? 'tests/unit/core/fixtures/pinned-runs.json';
  const out: Record<string, PinnedGeneration[]> = {};
  for (const [name, raw] of Object.entries(PINNED_RECIPES)) out[name] = await run(raw);
  writeFileSync(path, `${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
