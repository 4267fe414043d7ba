import { describe, expect, it } from 'vitest';
import { gmmLogDensity } from '../../../src/core/mixture';
import { gmmMoments } from '../../../src/core/mixtureScores';
import {
  HELD_OUT_SIZE,
  heldOutSample,
  REAL_DISTRIBUTION_NAMES,
  REAL_DISTRIBUTIONS,
  realDistribution,
} from '../../../src/core/realDistributions';
import { createRng } from '../../../src/core/rng';
import { Z975 } from '../../../src/core/special';

/** Per-coordinate variance of the spiral's centres (trace / 2), from the modes as listed. */
function spiralCentreSpread(): number {
  const m = REAL_DISTRIBUTIONS.spiral.modes;
  let t = 0;
  for (let j = 0; j < 16; j++) t += (m[2 * j] ** 2 + m[2 * j + 1] ** 2) / 16;
  return t / 2;
}

describe('real distributions', () => {
  it('describe their mixtures: dimension, modes, weights, variance', () => {
    const expected = {
      gaussian2d: { d: 2, modes: 1, variance: 1 },
      bimodal1d: { d: 1, modes: 2, variance: 4 + 0.25 },
      ring8: { d: 2, modes: 8, variance: 2 + 0.15 ** 2 },
      grid25: { d: 2, modes: 25, variance: 8 + 0.2 ** 2 },
      // The spiral's centres' spread, computed independently below.
      spiral: { d: 2, modes: 16, variance: spiralCentreSpread() + 0.12 ** 2 },
    };
    for (const name of REAL_DISTRIBUTION_NAMES) {
      const r = realDistribution(name);
      expect(r.name).toBe(name);
      expect(r.d).toBe(expected[name].d);
      expect(r.numModes).toBe(expected[name].modes);
      expect(r.mixture.k).toBe(r.numModes);
      expect(Array.from(r.modes)).toEqual(Array.from(r.mixture.means));
      expect(r.mixture.weights.reduce((a, b) => a + b)).toBeCloseTo(1, 14);
      expect(r.variance).toBeCloseTo(expected[name].variance, 12);
      const { covariance, mean } = gmmMoments(r.mixture);
      const trace = r.d === 1 ? covariance[0] : covariance[0] + covariance[3];
      expect(trace / r.d).toBeCloseTo(r.variance, 12);
      for (const m of mean) expect(m).toBeCloseTo(0, 12);
    }
    // The ring's centres sit on radius 2; the grid's on {−4, −2, 0, 2, 4}².
    const ring = REAL_DISTRIBUTIONS.ring8.modes;
    for (let j = 0; j < 8; j++) expect(Math.hypot(ring[2 * j], ring[2 * j + 1])).toBeCloseTo(2, 12);
    expect(new Set(REAL_DISTRIBUTIONS.grid25.modes).size).toBe(5);
  });

  it('strings the spiral’s 16 modes 1.1 apart along the arc, at least 8 std apart in the plane', () => {
    const { modes, modeStd } = REAL_DISTRIBUTIONS.spiral;
    let closest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 16; i++) {
      for (let j = i + 1; j < 16; j++) {
        closest = Math.min(
          closest,
          Math.hypot(modes[2 * i] - modes[2 * j], modes[2 * i + 1] - modes[2 * j + 1]),
        );
      }
      // Consecutive centres: a chord a little shorter than the 1.1 of arc between them.
      if (i > 0) {
        const chord = Math.hypot(
          modes[2 * i] - modes[2 * i - 2],
          modes[2 * i + 1] - modes[2 * i - 1],
        );
        expect(chord).toBeGreaterThan(0.9);
        expect(chord).toBeLessThanOrEqual(1.1 + 1e-3);
      }
    }
    expect(closest / modeStd).toBeGreaterThan(8);
    // Each centre lies further from the first centre's side as the spiral winds out.
    const radii = Array.from({ length: 16 }, (_, j) => Math.hypot(modes[2 * j], modes[2 * j + 1]));
    expect(Math.max(...radii)).toBeLessThan(3);
  });

  it('density equals the mixture density', () => {
    const rng = createRng(3);
    for (const name of REAL_DISTRIBUTION_NAMES) {
      const r = realDistribution(name);
      const x = r.sample(200, rng);
      for (let i = 0; i < 200; i++) {
        const p = r.density(x, i * r.d);
        expect(Math.log(p)).toBeCloseTo(gmmLogDensity(r.mixture, x, i * r.d), 10);
      }
    }
  });

  it('tail levels have the closed forms of one component', () => {
    // gaussian2d: p = e^(−r²/2)/2π and P(r² > −2 ln 0.05) = 0.05, so ℓ = 0.05/2π.
    expect(REAL_DISTRIBUTIONS.gaussian2d.tailLevel).toBeCloseTo(0.05 / (2 * Math.PI), 15);
    // bimodal1d: ½ φ(1.96)/0.5 per mode.
    const phi = Math.exp(-0.5 * Z975 * Z975) / Math.sqrt(2 * Math.PI);
    expect(REAL_DISTRIBUTIONS.bimodal1d.tailLevel).toBeCloseTo((0.5 * phi) / 0.5, 15);
    expect(REAL_DISTRIBUTIONS.grid25.tailLevel).toBeCloseTo(0.05 / 25 / (2 * Math.PI * 0.04), 15);
  });

  it('5 % of real points fall below the tail level (Monte Carlo, within 4 SE)', () => {
    const n = 200_000;
    const se = Math.sqrt((0.05 * 0.95) / n);
    for (const name of REAL_DISTRIBUTION_NAMES) {
      const r = realDistribution(name);
      const x = r.sample(n, createRng(77, REAL_DISTRIBUTION_NAMES.indexOf(name)));
      let below = 0;
      for (let i = 0; i < n; i++) if (r.density(x, i * r.d) < r.tailLevel) below++;
      expect(Math.abs(below / n - 0.05), name).toBeLessThan(4 * se);
    }
  });

  it('samples every mode about equally, reproducibly per seed', () => {
    for (const name of REAL_DISTRIBUTION_NAMES) {
      const r = realDistribution(name);
      const n = 20_000;
      const x = r.sample(n, createRng(5));
      expect(Array.from(r.sample(n, createRng(5)))).toEqual(Array.from(x));
      const counts = new Array(r.numModes).fill(0);
      for (let i = 0; i < n; i++) {
        let best = 0;
        let bestD = Number.POSITIVE_INFINITY;
        for (let j = 0; j < r.numModes; j++) {
          let dist = 0;
          for (let a = 0; a < r.d; a++) dist += (x[i * r.d + a] - r.modes[j * r.d + a]) ** 2;
          if (dist < bestD) {
            bestD = dist;
            best = j;
          }
        }
        counts[best]++;
      }
      const p = 1 / r.numModes;
      const se = Math.sqrt((p * (1 - p)) / n);
      for (const c of counts) expect(Math.abs(c / n - p), name).toBeLessThanOrEqual(4.5 * se);
    }
  });

  it('the held-out sample is fixed and cached', () => {
    const a = heldOutSample('ring8');
    expect(a.length).toBe(HELD_OUT_SIZE * 2);
    expect(heldOutSample('ring8')).toBe(a);
    expect(heldOutSample('bimodal1d').length).toBe(HELD_OUT_SIZE);
  });
});
