// The Gaussian and the mixtures give the very same numbers for the same recipe as before the
// generation loop moved into one shared module (fixtures recorded by scripts/pin-runs.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulateGmm } from '../../../src/core/gmmLoop';
import { simulateGaussian1d } from '../../../src/core/loop';
import { parseRecipe } from '../../../src/core/recipe';
import { fingerprint, PINNED_RECIPES, type PinnedGeneration, roundTrip } from './pinnedRuns';

const pinned = JSON.parse(
  readFileSync(new URL('./fixtures/pinned-runs.json', import.meta.url), 'utf8'),
) as Record<string, PinnedGeneration[]>;

async function run(raw: Record<string, unknown>): Promise<PinnedGeneration[]> {
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
  return gens;
}

describe('pinned runs from before the loop moved', () => {
  it.each(Object.keys(PINNED_RECIPES))('%s gives the same numbers, bit for bit', async (name) => {
    const got = roundTrip(await run(PINNED_RECIPES[name]));
    expect(got.length).toBe(pinned[name].length);
    for (let g = 0; g < got.length; g++) expect(got[g]).toEqual(pinned[name][g]);
  });
});
