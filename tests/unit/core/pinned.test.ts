// The Gaussian and the mixtures give the very same numbers for the same recipe as before the
// generation loop moved into one shared module (fixtures recorded by scripts/pin-runs.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PINNED_RECIPES, type PinnedGeneration, pinnedRun, roundTrip } from './pinnedRuns';

const pinned = JSON.parse(
  readFileSync(new URL('./fixtures/pinned-runs.json', import.meta.url), 'utf8'),
) as Record<string, PinnedGeneration[]>;

describe('pinned runs from before the loop moved', () => {
  it.each(Object.keys(PINNED_RECIPES))('%s gives the same numbers, bit for bit', async (name) => {
    const got = roundTrip(await pinnedRun(PINNED_RECIPES[name]));
    expect(got.length).toBe(pinned[name].length);
    for (let g = 0; g < got.length; g++) expect(got[g]).toEqual(pinned[name][g]);
  });
});
