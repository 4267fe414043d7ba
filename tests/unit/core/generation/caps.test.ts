// The memory caps (src/core/generation/caps.ts), shared by the recipe parser (capRecipe) and the
// loop (poolIssue): a recipe that parses is never refused by the loop.
import { describe, expect, it } from 'vitest';
import type { Field } from '../../../../src/core/fields';
import {
  capRecipe,
  MAX_POOL_BYTES,
  type PointStorage,
  poolBytes,
  poolIssue,
} from '../../../../src/core/generation/caps';
import { runChains } from '../../../../src/core/generation/loop';
import {
  type LoopRecipe,
  type ModelFamily,
  REGIMES,
  type Regime,
} from '../../../../src/core/generation/types';
import { gaussianFamily } from '../../../../src/core/models/gaussian1d/family';
import { gmmFamily } from '../../../../src/core/models/gmm/family';
import { REAL_DISTRIBUTIONS } from '../../../../src/core/models/gmm/spec';
import {
  type AnyRecipe,
  fieldsOf,
  forRecipe,
  type GaussianRecipe,
  type GmmRecipe,
  type MODELS,
  parseRecipe,
} from '../../../../src/core/recipe';
import { createRng } from '../../../../src/core/rng';

const GAUSSIAN: PointStorage = { width: 1, bytesPerValue: 8, sufficientStatistics: true };
const GMM_2D: PointStorage = { width: 2, bytesPerValue: 8, sufficientStatistics: false };
const VAE: PointStorage = {
  width: 784,
  bytesPerValue: 1,
  sufficientStatistics: false,
  trainingBytesPerValue: 4,
};

describe('poolBytes', () => {
  it('is 0 under replace, whatever the sizes', () => {
    for (const storage of [GAUSSIAN, GMM_2D, VAE]) {
      const r = {
        regime: 'replace' as const,
        replicates: 1000,
        generations: 5000,
        samplesPerGeneration: 10_000,
      };
      expect(poolBytes(r, storage)).toBe(0);
      expect(poolIssue(r, storage)).toBeNull();
    }
  });

  it('counts values and an int16 origin per point, for every chain', () => {
    const r = { replicates: 3, generations: 9, samplesPerGeneration: 100 };
    const points = 10 * 100;
    for (const regime of ['accumulate', 'accumulate-subsample'] as const)
      expect(poolBytes({ ...r, regime }, GMM_2D)).toBe(3 * points * (2 * 8 + 2));
    expect(poolBytes({ ...r, regime: 'accumulate-subsample' }, GAUSSIAN)).toBe(3 * points * 10);
  });

  it("counts one chain on the Gaussian's accumulate fast path (moments, chain 1's pool for display)", () => {
    const r = { replicates: 1000, generations: 99, samplesPerGeneration: 100 };
    expect(poolBytes({ ...r, regime: 'accumulate' }, GAUSSIAN)).toBe(100 * 100 * 10);
    expect(poolBytes({ ...r, regime: 'accumulate', replicates: 1 }, GAUSSIAN)).toBe(
      poolBytes({ ...r, regime: 'accumulate' }, GAUSSIAN),
    );
  });

  it('adds the float32 training copy under accumulate only', () => {
    const r = { replicates: 2, generations: 4, samplesPerGeneration: 100 };
    const points = 5 * 100;
    expect(poolBytes({ ...r, regime: 'accumulate' }, VAE)).toBe(
      2 * points * (784 + 2) + points * 784 * 4,
    );
    expect(poolBytes({ ...r, regime: 'accumulate-subsample' }, VAE)).toBe(2 * points * (784 + 2));
  });
});

describe('poolIssue', () => {
  // 8 bytes per point (6 of values, 2 of origin): 2^24 points are exactly MAX_POOL_BYTES.
  const EIGHT: PointStorage = { width: 1, bytesPerValue: 6, sufficientStatistics: false };
  const r = { regime: 'accumulate' as const, replicates: 1, samplesPerGeneration: 4096 };

  it('accepts exactly MAX_POOL_BYTES and refuses one generation more, naming what to lower', () => {
    expect(poolBytes({ ...r, generations: 4095 }, EIGHT)).toBe(MAX_POOL_BYTES);
    expect(poolIssue({ ...r, generations: 4095 }, EIGHT)).toBeNull();
    const issue = poolIssue({ ...r, generations: 4096 }, EIGHT);
    expect(issue).toMatch(/^accumulate would keep 128 MiB of training data \(more than 128 MiB\)/);
    expect(issue).toMatch(/replicates, generations or samplesPerGeneration/);
  });

  it('is what the loop throws, before it allocates anything', async () => {
    const family = { ...gaussianFamily({ estimator: 'mle' }), storage: EIGHT };
    const recipe: LoopRecipe = {
      ...r,
      generations: 4096,
      seed: 1,
      syntheticFraction: 1,
      realData: 'fresh',
      temperature: 1,
    };
    const loop = runChains(recipe, family);
    await expect(loop.next()).rejects.toThrow(new RangeError(poolIssue(recipe, EIGHT) as string));
  });
});

describe('capRecipe', () => {
  it('leaves a recipe that fits alone', () => {
    const r = {
      regime: 'accumulate' as const,
      replicates: 64,
      generations: 100,
      samplesPerGeneration: 1000,
    };
    expect(capRecipe(r, GMM_2D)).toEqual([]);
    expect(r).toEqual({
      regime: 'accumulate',
      replicates: 64,
      generations: 100,
      samplesPerGeneration: 1000,
    });
  });

  it('lowers replicates first, to the most that fit', () => {
    const r = {
      regime: 'accumulate-subsample' as const,
      replicates: 1000,
      generations: 100,
      samplesPerGeneration: 10_000,
    };
    const changes = capRecipe(r, GMM_2D);
    expect(changes.map((c) => [c.field, c.from, c.to])).toEqual([['replicates', 1000, 7]]);
    expect(changes[0].message).toMatch(/^replicates: 1000 chains of 100 generations/);
    expect(r.replicates).toBe(7);
    expect(r.generations).toBe(100);
    expect(poolIssue(r, GMM_2D)).toBeNull();
    expect(poolIssue({ ...r, replicates: 8 }, GMM_2D)).not.toBeNull();
  });

  it('then generations, to the most that fit one chain', () => {
    const r = {
      regime: 'accumulate' as const,
      replicates: 64,
      generations: 5000,
      samplesPerGeneration: 10_000,
    };
    const changes = capRecipe(r, GMM_2D);
    expect(changes.map((c) => c.field)).toEqual(['replicates', 'generations']);
    expect(r.replicates).toBe(1);
    // 18 bytes a point, 180,000 a generation: 745 generations' points fit, so 0–744.
    expect(r.generations).toBe(744);
    expect(changes[1]).toMatchObject({ from: 5000, to: 744 });
    expect(changes[1].message).toMatch(/^generations: .*reduced to 744$/);
    expect(poolIssue(r, GMM_2D)).toBeNull();
    expect(poolIssue({ ...r, generations: 745 }, GMM_2D)).not.toBeNull();
  });

  it('never lowers replicates on the fast path (they cost nothing there)', () => {
    const r = {
      regime: 'accumulate' as const,
      replicates: 1000,
      generations: 5000,
      samplesPerGeneration: 10_000,
    };
    const changes = capRecipe(r, GAUSSIAN);
    expect(changes.map((c) => c.field)).toEqual(['generations']);
    expect(r.replicates).toBe(1000);
    expect(poolIssue(r, GAUSSIAN)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// A recipe that parseRecipe accepts is never refused by the loop: over a grid of every model,
// real distribution and regime with extreme sizes (each field's bounds and far past them), and
// over seeded random recipes. The loop is asked itself: a family with the model's own storage
// whose createChain signals that the loop got past its memory check.

class PastTheCheck extends Error {}

/** The storage the loop would see for `recipe`: the model family's own where there is one. */
function familyStorage(recipe: AnyRecipe): PointStorage {
  if (recipe.model === 'gaussian1d') return gaussianFamily(recipe as GaussianRecipe).storage;
  if (recipe.model === 'gmm') return gmmFamily(recipe as GmmRecipe).storage;
  // No VAE family in core (it lives with tfjs): its spec's storage is what the engine uses.
  return forRecipe(recipe).storage(recipe);
}

async function loopRefuses(recipe: AnyRecipe): Promise<string | null> {
  const family: ModelFamily = {
    metrics: [],
    storage: familyStorage(recipe),
    alloc: () => new Float64Array(0),
    createChain() {
      throw new PastTheCheck();
    },
    realSource: () => () => {},
    sample: () => {},
    score: () => {},
    shown: () => null,
    shownTrainingPoints: 0,
  };
  try {
    await runChains(recipe as LoopRecipe, family).next();
    return 'the loop made no chains';
  } catch (e) {
    if (e instanceof PastTheCheck) return null;
    return String(e);
  }
}

const bounds = (model: (typeof MODELS)[number], name: string) => {
  const f = fieldsOf(model)[name] as Field & { min: number; max: number };
  return [f.min, f.max];
};

async function checkParsesAndRuns(input: Record<string, unknown>) {
  const parsed = parseRecipe(input);
  if (!parsed.ok) throw new Error(`${JSON.stringify(input)}: ${parsed.error}`);
  const r = parsed.recipe;
  const where = JSON.stringify(input);
  expect(await loopRefuses(r), where).toBeNull();
  expect(poolIssue(r, familyStorage(r)), where).toBeNull();
  // The parser's storage is the family's.
  expect(forRecipe(r).storage(r), where).toEqual(familyStorage(r));
  // Capped recipes stay within the fields' bounds, and capping again changes nothing.
  for (const name of ['samplesPerGeneration', 'generations', 'replicates'] as const) {
    const [min, max] = bounds(r.model, name);
    expect(r[name], `${where} ${name}`).toBeGreaterThanOrEqual(min);
    expect(r[name], `${where} ${name}`).toBeLessThanOrEqual(max);
  }
  expect(capRecipe({ ...r }, familyStorage(r)), where).toEqual([]);
  // Every warning names its field.
  for (const w of parsed.warnings) expect(w, where).toMatch(/^[a-zA-Z]+: /);
  return parsed;
}

function modelsAndDistributions(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ model: 'gaussian1d' }, { model: 'vae' }];
  for (const realDistribution of REAL_DISTRIBUTIONS) out.push({ model: 'gmm', realDistribution });
  return out;
}

describe('every recipe parseRecipe accepts runs', () => {
  it('over a grid of models × regimes × extreme M, generations and replicates', async () => {
    let checked = 0;
    let capped = 0;
    for (const base of modelsAndDistributions()) {
      const model = base.model as (typeof MODELS)[number];
      const [mMin, mMax] = bounds(model, 'samplesPerGeneration');
      const [, gMax] = bounds(model, 'generations');
      const [, rMax] = bounds(model, 'replicates');
      for (const regime of REGIMES as readonly Regime[]) {
        for (const samplesPerGeneration of [1, mMin, Math.round(Math.sqrt(mMin * mMax)), mMax, 1e9])
          for (const generations of [0, 1, 2, gMax - 1, gMax, 1e7])
            for (const replicates of [1, 2, rMax, 1e6]) {
              const p = await checkParsesAndRuns({
                ...base,
                regime,
                samplesPerGeneration,
                generations,
                replicates,
              });
              checked++;
              if (p.warnings.some((w) => /not fit in memory/.test(w))) capped++;
            }
      }
    }
    expect(checked).toBe(6 * 3 * 5 * 6 * 4);
    // The grid does reach the caps (else it would prove little).
    expect(capped).toBeGreaterThan(50);
  });

  it('over 600 seeded random recipes (sizes log-uniform up to 10× each bound)', async () => {
    const rng = createRng(20_240_601);
    const bases = modelsAndDistributions();
    const logUniform = (lo: number, hi: number) =>
      Math.round(Math.exp(Math.log(lo) + rng.uniform() * Math.log(hi / lo)));
    for (let i = 0; i < 600; i++) {
      const base = bases[rng.int(bases.length)];
      const model = base.model as (typeof MODELS)[number];
      await checkParsesAndRuns({
        ...base,
        regime: REGIMES[rng.int(REGIMES.length)],
        samplesPerGeneration: logUniform(1, 10 * bounds(model, 'samplesPerGeneration')[1]),
        generations: logUniform(1, 10 * bounds(model, 'generations')[1]),
        replicates: logUniform(1, 10 * bounds(model, 'replicates')[1]),
        syntheticFraction: rng.uniform(),
      });
    }
  });

  it('clamps gmm accumulate with M = 10,000 and 5,000 generations, which then runs', async () => {
    const parsed = parseRecipe({
      model: 'gmm',
      regime: 'accumulate',
      samplesPerGeneration: 10_000,
      generations: 5000,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const r = parsed.recipe as GmmRecipe;
    expect(r.generations).toBeLessThan(5000);
    expect(r.generations).toBeGreaterThanOrEqual(1);
    expect(r.samplesPerGeneration).toBe(10_000);
    expect(parsed.warnings.some((w) => /^generations: .*reduced to \d+$/.test(w))).toBe(true);
    expect(parsed.warnings.find((w) => w.startsWith('generations:'))).toContain(
      `reduced to ${r.generations}`,
    );
    // Generation 0 only: the loop accepts the recipe and fits a first model.
    const loop = runChains(r, gmmFamily(r));
    const first = await loop.next();
    await loop.return();
    expect(first.done).toBe(false);
    expect(first.value?.generation).toBe(0);
    expect(first.value?.chain?.training.size).toBe(10_000);
  });
});

describe("the Gaussian's accumulate fast path", () => {
  const recipe = (replicates: number, regime: Regime = 'accumulate'): GaussianRecipe => {
    const p = parseRecipe({
      samplesPerGeneration: 50,
      generations: 20,
      replicates,
      regime,
      syntheticFraction: 0.7,
    });
    if (!p.ok) throw new Error(p.error);
    return p.recipe as GaussianRecipe;
  };

  /** Runs `r`, counting the values the loop allocates and the family's per-set fits. */
  async function measure(r: GaussianRecipe, fastPath = true) {
    const base = gaussianFamily(r);
    let allocated = 0;
    let fits = 0;
    const family: typeof base = {
      ...base,
      alloc(n) {
        allocated += n;
        return base.alloc(n);
      },
      fit(set, previous, chain) {
        fits++;
        return (base.fit as NonNullable<typeof base.fit>)(set, previous, chain);
      },
      sufficient: fastPath ? base.sufficient : undefined,
    };
    const std: number[] = [];
    for await (const part of runChains(r, family)) std.push(...part.values.std);
    return { allocated, fits, std };
  }

  it('keeps no pool beyond chain 1: what it allocates does not grow with the replicates', async () => {
    const one = await measure(recipe(1));
    const many = await measure(recipe(40));
    expect(many.allocated).toBe(one.allocated);
    // Chain 1's pool, grown by doubling to hold 21·50 points (every buffer it ever had sums to
    // under 4× that), and one training buffer of 50 shared by the chains.
    expect(one.allocated).toBeLessThan(4 * 21 * 50 + 50);
    // Every chain is fitted from its moments, never from a set of points.
    expect(many.fits).toBe(0);
    // Without the fast path (or under accumulate-subsample) every chain keeps a pool.
    const pooled = await measure(recipe(40), false);
    expect(pooled.allocated).toBeGreaterThan(40 * 21 * 50);
    expect(pooled.fits).toBe(40 * 21);
    expect((await measure(recipe(40, 'accumulate-subsample'))).allocated).toBeGreaterThan(
      40 * 21 * 50,
    );
    // And the moments fit what the pools fit (to rounding).
    for (let i = 0; i < many.std.length; i++)
      expect(Math.abs(many.std[i] / pooled.std[i] - 1)).toBeLessThan(1e-12);
  });
});
