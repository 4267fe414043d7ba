// The remedies side by side: lockstep comparisons every model offers (the mitigations are the
// loop's, so they mean the same thing for every model), each a recipe change and one compared
// field with a name per variant. A link stores only `field=values`; a comparison that matches a
// preset gets the preset's names back from here.
import { parseComparison } from './comparison';
import { type AnyRecipe, DEFAULT_RECIPES, type Model, parseRecipe } from './recipe';

export interface ComparisonPreset {
  name: string;
  /** A sentence on what it shows. */
  title: string;
  /** Fields it sets on the model's defaults (and the reader's seed) before comparing. */
  recipe: Record<string, unknown>;
  /** `field=v1,v2,…` (see comparison.ts). */
  compare: string;
  /** The legend's name of each variant. */
  labels: readonly string[];
}

/**
 * The comparison presets `model` can run as written (one a model cannot, as the VAE's curation
 * by a verifier of digits it has no density for, is left out rather than run as something else).
 */
export function comparisonPresets(model: Model): ComparisonPreset[] {
  return allPresets(model).filter((p) => {
    const parsed = parseRecipe(presetBase(model, p, 1));
    if (!parsed.ok || parsed.warnings.length) return false;
    const c = parseComparison(parsed.recipe, p.compare);
    return c.ok && c.comparison.variants.every((v) => v.warnings.length === 0);
  });
}

/** Every preset, on `model`'s defaults (the ramp's length follows its default generations). */
function allPresets(model: Model): ComparisonPreset[] {
  const gens = DEFAULT_RECIPES[model].generations;
  const ramp = Math.max(2, Math.round(gens / 2));
  return [
    {
      name: 'Replace vs accumulate',
      title:
        'Gerstgrasser et al.: throw old data away, keep all of it, or keep a fixed-size sample of all of it',
      recipe: { syntheticFraction: 1 },
      compare: 'regime=replace,accumulate,accumulate-subsample',
      labels: ['Replace', 'Accumulate', 'Accumulate, subsample to M'],
    },
    {
      name: 'Fresh real data',
      title: 'Each generation keeps 0 %, 10 % or 50 % fresh real data',
      recipe: { realData: 'fresh', regime: 'replace' },
      compare: 'syntheticFraction=1,0.9,0.5',
      labels: ['0 % real', '10 % real', '50 % real'],
    },
    {
      name: 'Fixed vs fresh real',
      title: 'Half of each generation is real: the same real points every time, or new ones',
      recipe: { syntheticFraction: 0.5, regime: 'replace' },
      compare: 'realData=fixed,fresh',
      labels: ['Fixed real set', 'Fresh real data'],
    },
    {
      name: 'Temperature 1 vs 0.8',
      title: 'Alemohammad et al.: sampling at λ < 1 favours quality and loses diversity faster',
      recipe: { syntheticFraction: 1, regime: 'replace' },
      compare: 'temperature=1,0.8',
      labels: ['λ = 1', 'λ = 0.8'],
    },
    {
      name: 'Watermarks',
      title:
        'The web is 90 % generated, sampled at λ = 0.8 as decoders do: no filter, a perfect watermark, and one that half the synthetic data loses (stripped by editing)',
      // At λ = 1 the 10 % fresh real data alone hold σ near 1, and the filters look alike; at
      // λ = 0.8 σ settles at about 0.59 unfiltered, 0.95 behind a perfect watermark and 0.72
      // behind the strippable one (gaussianTheory's fixed point).
      recipe: { syntheticFraction: 0.9, temperature: 0.8, regime: 'replace' },
      compare: 'filter=off,1:0,0.5:0',
      labels: ['No filter', 'Perfect watermark', 'Strippable watermark'],
    },
    {
      name: 'Detectors',
      title:
        'The same web (90 % generated, λ = 0.8): a perfect watermark, a strippable one, and an over-eager detector that drops half the real data too',
      recipe: { syntheticFraction: 0.9, temperature: 0.8, regime: 'replace' },
      compare: 'filter=1:0,0.5:0,0.95:0.5',
      labels: ['Perfect watermark', 'Strippable watermark', 'Over-eager detector'],
    },
    {
      name: 'Curation',
      title:
        "Keep the best half of the synthetic data by the model's own likelihood, or by a good verifier",
      recipe: { syntheticFraction: 1, regime: 'replace' },
      compare: 'curation=off,0.5:model:0.9,0.5:verifier:0.9',
      labels: ['No curation', "By the model's likelihood", 'By a verifier (90 %)'],
    },
    {
      name: 'First mover vs late comer',
      title: `The web fills up over ${ramp} generations: a model trained only on data collected before, one that keeps collecting as it fills, and a late comer whose data all came after`,
      recipe: { regime: 'replace' },
      compare: `syntheticSchedule=0:0:${ramp},0:1:${ramp},1:1:1`,
      labels: ['First mover (data from before)', 'Keeps collecting', 'Late comer (after the ramp)'],
    },
  ];
}

/** A preset's names for the comparison `spec` of `model`, if a preset compares exactly that. */
export function presetLabels(model: Model, spec: string): readonly string[] | undefined {
  return allPresets(model).find((p) => p.compare === spec)?.labels;
}

/** The base recipe of a preset on `model`'s defaults, keeping the reader's seed. */
export function presetBase(
  model: Model,
  preset: ComparisonPreset,
  seed: number,
): Record<string, unknown> {
  return { ...(DEFAULT_RECIPES[model] as AnyRecipe), seed, ...preset.recipe };
}
