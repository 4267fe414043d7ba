// The Gaussian and the mixtures give the very same numbers for the same recipe as before the
// generation loop moved into one shared module (fixtures recorded by scripts/pin-runs.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/generation/loop';
import { REAL } from '../../../src/core/generation/types';
import { gaussianFamily } from '../../../src/core/models/gaussian1d/family';
import { gmmFamily } from '../../../src/core/models/gmm/family';
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

describe('pinned runs from before the loop moved', () => {
  it.each(Object.keys(PINNED_RECIPES))('%s gives the same numbers, bit for bit', async (name) => {
    const got = roundTrip(await run(PINNED_RECIPES[name]));
    expect(got.length).toBe(pinned[name].length);
    for (let g = 0; g < got.length; g++) expect(got[g]).toEqual(pinned[name][g]);
  });
});
