// What every model's spec says of its metrics names metrics it has, and its hooks take only its
// own recipe (the @ts-expect-error lines fail the type check if a wrong recipe ever compiles).
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPES, forRecipe, MODELS, specOf } from '../../../../src/core/recipe';
import { FAMILIES } from '../../../../src/engine/models/registry';

describe('the model specs', () => {
  it.each(MODELS)('%s describes only its own metrics', (model) => {
    const spec = specOf(model);
    for (const name of Object.keys(spec.metricInfo)) expect(spec.metrics).toContain(name);
    for (const name of spec.spoken ?? []) expect(spec.metrics).toContain(name);
    if (spec.classMetric) expect(spec.metrics).toContain(spec.classMetric);
  });

  it("types each hook by its model's recipe", () => {
    const gmm = DEFAULT_RECIPES.gmm;
    expect(forRecipe(gmm).storage(gmm).width).toBe(2);
    // @ts-expect-error a Gaussian recipe is not a mixture's
    expect(() => specOf('gmm').theoryNote?.(DEFAULT_RECIPES.gaussian1d)).not.toThrow();
    // @ts-expect-error nor a VAE's
    forRecipe(gmm).workPerPoint(DEFAULT_RECIPES.vae);
    const load = () => FAMILIES.vae().then((m) => m.prepare(DEFAULT_RECIPES.vae, {} as never));
    // @ts-expect-error a family's prepare takes its own model's recipe
    const wrong = () => FAMILIES.vae().then((m) => m.prepare(DEFAULT_RECIPES.gmm, {} as never));
    expect([typeof load, typeof wrong]).toEqual(['function', 'function']);
  });
});
