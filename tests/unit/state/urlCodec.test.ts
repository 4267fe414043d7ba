import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE, type GaussianRecipe } from '../../../src/core/recipe';
import { deserializeState, serializeState } from '../../../src/state/urlCodec';

const custom: GaussianRecipe = {
  ...DEFAULT_RECIPE,
  samplesPerGeneration: 37,
  generations: 450,
  replicates: 12,
  seed: 4_000_000_001,
  estimator: 'unbiased',
  syntheticFraction: 0.83,
  regime: 'accumulate-subsample',
  realData: 'fixed',
  temperature: 0.65,
};

describe('the URL state codec', () => {
  it('round-trips every recipe field and the shown generation', () => {
    const back = deserializeState(`#${serializeState(custom, 123)}`);
    expect(back.recipe).toEqual(custom);
    expect(back.generation).toBe(123);
    expect(back.messages).toEqual([]);
  });

  it('writes null generation as "follow the last" and reads it back so', () => {
    const hash = serializeState(DEFAULT_RECIPE, null);
    expect(hash).not.toContain('g=');
    expect(deserializeState(hash).generation).toBeNull();
  });

  it('fills defaults for fields the link leaves out', () => {
    const s = deserializeState('#synth=0.25');
    expect(s.recipe).toEqual({ ...DEFAULT_RECIPE, syntheticFraction: 0.25 });
    expect(s.messages).toEqual([]);
  });

  it('accepts the long field names too', () => {
    expect(deserializeState('#samplesPerGeneration=250').recipe.samplesPerGeneration).toBe(250);
  });

  it('clamps out-of-range values with a message naming the field', () => {
    const s = deserializeState('#synth=5&M=3');
    expect(s.recipe.syntheticFraction).toBe(1);
    expect(s.recipe.samplesPerGeneration).toBe(10);
    expect(s.messages.join('\n')).toMatch(/syntheticFraction: 5 is outside/);
    expect(s.messages.join('\n')).toMatch(/samplesPerGeneration: 3 is outside/);
  });

  it('drops only the malformed fields, keeping the rest of the link', () => {
    const s = deserializeState('#M=abc&regime=sideways&reps=20&seed=9&colour=red');
    expect(s.recipe.samplesPerGeneration).toBe(DEFAULT_RECIPE.samplesPerGeneration);
    expect(s.recipe.regime).toBe(DEFAULT_RECIPE.regime);
    expect(s.recipe.replicates).toBe(20);
    expect(s.recipe.seed).toBe(9);
    const text = s.messages.join('\n');
    expect(text).toContain('samplesPerGeneration: expected a number, got "abc"');
    expect(text).toContain('regime: "sideways" is not one of');
    expect(text).toContain('colour: unknown setting');
  });

  it('rejects a bad or too-large generation number', () => {
    expect(deserializeState('#g=-3').generation).toBeNull();
    expect(deserializeState('#g=x').messages[0]).toMatch(/^g:/);
    const past = deserializeState('#gens=50&g=80');
    expect(past.generation).toBe(50);
    expect(past.messages.join()).toMatch(/past the last/);
  });

  it('survives an empty or garbage hash', () => {
    expect(deserializeState('').recipe).toEqual(DEFAULT_RECIPE);
    expect(deserializeState('#%%%&&&=').recipe).toEqual(DEFAULT_RECIPE);
  });
});
