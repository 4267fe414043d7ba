// The phase diagram's grid: every cell is exactly the single run of its recipe read at its
// generation, and the theory boundary sits where the Gaussian's closed form crosses its level.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/generation/loop';
import { gaussianFamily } from '../../../src/core/models/gaussian1d/family';
import { gaussianTheory } from '../../../src/core/models/gaussian1d/theory';
import { cellsOf, linspace, logInts, phaseGrid, theoryBoundary } from '../../../src/core/phase';
import { DEFAULT_RECIPES, type GaussianRecipe, parseRecipe } from '../../../src/core/recipe';

const base: GaussianRecipe = {
  ...DEFAULT_RECIPES.gaussian1d,
  samplesPerGeneration: 30,
  replicates: 12,
  seed: 5,
};

async function medians(r: GaussianRecipe, metric: 'std' | 'tailMass'): Promise<number[]> {
  const out: number[] = [];
  for await (const g of simulate(r, gaussianFamily(r))) out.push(g.stats[metric].median);
  return out;
}

function single(fields: Record<string, unknown>): GaussianRecipe {
  const p = parseRecipe({ ...base, ...fields });
  if (!p.ok) throw new Error(p.error);
  return p.recipe as GaussianRecipe;
}

describe('phase grid', () => {
  it('spaces shares evenly and rows by log, distinct and increasing', () => {
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const rows = logInts(1, 200, 20);
    expect(rows).toHaveLength(20);
    expect(logInts(1, 5, 20)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]).toBe(1);
    expect(rows.at(-1)).toBe(200);
    for (let i = 1; i < rows.length; i++) expect(rows[i]).toBeGreaterThan(rows[i - 1]);
  });

  it('over generations: one run per column, and each cell equals a single run of that many generations', async () => {
    const grid = phaseGrid(base, { metric: 'std', axis: 'generations', size: 3, generations: 12 });
    expect(grid.runs).toHaveLength(3);
    expect(grid.rows).toEqual([1, 3, 12]);
    for (const run of grid.runs) {
      const column = await medians(run.recipe as GaussianRecipe, 'std');
      for (const cell of cellsOf(grid, run)) {
        const share = grid.shares[run.column];
        const alone = await medians(
          single({ syntheticFraction: share, generations: grid.rows[cell.row] }),
          'std',
        );
        expect(column[cell.generation]).toBe(alone.at(-1));
      }
    }
  });

  it('over M: one run per cell, each the single run with that M', async () => {
    const grid = phaseGrid(base, {
      metric: 'tailMass',
      axis: 'samplesPerGeneration',
      size: 2,
      generations: 5,
      mRange: [10, 40],
    });
    expect(grid.rows).toEqual([10, 40]);
    expect(grid.runs).toHaveLength(4);
    for (const run of grid.runs) {
      expect(run.recipe.samplesPerGeneration).toBe(run.rows[0]);
      const cell = cellsOf(grid, run)[0];
      expect(cell.generation).toBe(5);
      const alone = await medians(
        single({
          syntheticFraction: grid.shares[run.column],
          samplesPerGeneration: run.rows[0],
          generations: 5,
        }),
        'tailMass',
      );
      expect((await medians(run.recipe as GaussianRecipe, 'tailMass'))[5]).toBe(alone[5]);
    }
  });

  it('drops a synthetic-share schedule (the share is the axis) and keeps the other settings', () => {
    const withRamp = single({
      syntheticSchedule: { from: 0, to: 1, over: 10 },
      regime: 'accumulate',
    });
    const grid = phaseGrid(withRamp, {
      metric: 'std',
      axis: 'generations',
      size: 2,
      generations: 8,
    });
    for (const run of grid.runs) {
      expect('syntheticSchedule' in run.recipe).toBe(false);
      expect(run.recipe.regime).toBe('accumulate');
      expect(run.recipe.seed).toBe(5);
    }
  });
});

describe('theory boundary', () => {
  it("lies where the Gaussian's theory of σ crosses ½, and nowhere where it never does", () => {
    const grid = phaseGrid(
      { ...base, samplesPerGeneration: 100 },
      { metric: 'std', axis: 'generations', size: 5, generations: 400 },
    );
    const b = theoryBoundary(grid, 0.5);
    if (!b) throw new Error('no boundary');
    // Share 0 (all real) and 25 % never lose half the spread.
    expect(b[0]).toBeNull();
    expect(b[1]).toBeNull();
    // Share 1: between the rows either side of the generation where the median σ falls below ½.
    const t = gaussianTheory(grid.runs[4].recipe as GaussianRecipe);
    const n = t?.points.findIndex((p) => (p.stdMedian as number) < 0.5) ?? -1;
    expect(n).toBeGreaterThan(50); // ln σ falls by about 1/M per generation: ½ near 2M·ln 2 / 2 ≈ 69
    const at = b[4] as number;
    expect(grid.rows[Math.floor(at)]).toBeLessThan(n);
    expect(grid.rows[Math.ceil(at)]).toBeGreaterThanOrEqual(n);
    // A metric without a closed form has no boundary.
    expect(theoryBoundary({ ...grid, metric: 'w2' }, 0.5)).toBeNull();
  });
});
