import { describe, expect, it } from 'vitest';
import { digamma, erfc, logGamma, normalCdf, trigamma, Z95, Z975 } from '../../../src/core/special';

// Reference values computed with mpmath at 30 digits (mp.loggamma, mp.digamma, mp.psi(1, x),
// mp.erfc, mp.ncdf), rounded to the nearest double.
const EULER_GAMMA = 0.5772156649015329;

/** [x, ln Γ(x), ψ(x), ψ'(x)] */
const GAMMA_TABLE: [number, number, number, number][] = [
  [0.001, 6.907178885383853, -1000.5755719318103, 1000001.6425331959],
  [0.1, 2.252712651734206, -10.423754940411078, 101.43329915079276],
  [0.25, 1.2880225246980774, -4.2274535333762655, 17.197329154507113],
  [1 / 3, 0.9854206469277671, -3.1320337800208065, 10.095597125427094],
  [0.5, 0.5723649429247001, -1.9635100260214235, 4.934802200544679],
  [1.5, -0.12078223763524522, 0.03648997397857652, 0.9348022005446793],
  [2.5, 0.2846828704729192, 0.7031566406452432, 0.49035775610023485],
  [10, 12.80182748008147, 2.251752589066721, 0.10516633568168575],
  [49.5, 142.61728282114598, 3.8918376507263717, 0.02040745504687999],
  [100.3, 360.5147057290581, 4.603172366627386, 0.010019956247766077],
];

function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
}

describe('logGamma', () => {
  it('gives ln Γ(1/2) = ln √π and ln Γ(1) = ln Γ(2) = 0', () => {
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-14);
  });

  it('matches ln((n − 1)!) for integers up to 171', () => {
    let logFactorial = 0;
    for (let n = 1; n <= 171; n++) {
      if (n > 1) logFactorial += Math.log(n - 1);
      // Lanczos (g = 7) is good to ~1e-15 relative; the summed reference adds ~n ulps.
      expect(Math.abs(logGamma(n) - logFactorial)).toBeLessThan(1e-12 * Math.max(1, logFactorial));
    }
  });

  it('matches reference values, including the reflection branch below 1/2', () => {
    for (const [x, want] of GAMMA_TABLE) {
      expect(Math.abs(logGamma(x) - want)).toBeLessThan(1e-13 * Math.max(1, Math.abs(want)));
    }
  });

  it('obeys Γ(x + 1) = x Γ(x)', () => {
    for (let x = 0.05; x < 60; x *= 1.37) {
      expect(Math.abs(logGamma(x + 1) - logGamma(x) - Math.log(x))).toBeLessThan(
        1e-12 * Math.max(1, Math.abs(logGamma(x + 1))),
      );
    }
  });
});

describe('digamma', () => {
  it('gives ψ(1) = −γ and ψ(1/2) = −γ − 2 ln 2', () => {
    // The asymptotic series is cut after x^-10; the next term is < 1e-11 at x = 6.
    expect(Math.abs(digamma(1) + EULER_GAMMA)).toBeLessThan(1e-10);
    expect(Math.abs(digamma(0.5) + EULER_GAMMA + 2 * Math.LN2)).toBeLessThan(1e-10);
  });

  it('gives ψ(n + 1) = −γ + H_n', () => {
    let harmonic = 0;
    for (let n = 0; n <= 40; n++) {
      if (n > 0) harmonic += 1 / n;
      expect(Math.abs(digamma(n + 1) - (harmonic - EULER_GAMMA))).toBeLessThan(1e-10);
    }
  });

  it('matches reference values', () => {
    for (const [x, , want] of GAMMA_TABLE) {
      expect(Math.abs(digamma(x) - want)).toBeLessThan(1e-10 * Math.max(1, Math.abs(want)));
    }
  });

  it('is the derivative of logGamma', () => {
    // Central difference with h = 1e-4: truncation ~h²ψ''/6 and rounding ~1e-16/h, both < 1e-7.
    const h = 1e-4;
    for (const x of [0.7, 1.3, 3, 5.9, 6.1, 20, 75]) {
      const numeric = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
      expect(Math.abs(digamma(x) - numeric)).toBeLessThan(1e-7);
    }
  });
});

describe('trigamma', () => {
  it("gives ψ'(1) = π²/6 and ψ'(1/2) = π²/2", () => {
    // The series is cut after x^-9; the next term is ~2e-10 at x = 6.
    expect(Math.abs(trigamma(1) - Math.PI ** 2 / 6)).toBeLessThan(1e-9);
    expect(Math.abs(trigamma(0.5) - Math.PI ** 2 / 2)).toBeLessThan(1e-9);
  });

  it('matches reference values', () => {
    for (const [x, , , want] of GAMMA_TABLE) {
      expect(relErr(trigamma(x), want)).toBeLessThan(1e-9);
    }
  });

  it("obeys ψ'(x + 1) = ψ'(x) − 1/x² and is the derivative of digamma", () => {
    const h = 1e-4;
    for (const x of [0.3, 1, 2.2, 5.5, 6.5, 30]) {
      expect(Math.abs(trigamma(x + 1) - (trigamma(x) - 1 / (x * x)))).toBeLessThan(
        1e-9 * trigamma(x),
      );
      const numeric = (digamma(x + h) - digamma(x - h)) / (2 * h);
      expect(relErr(trigamma(x), numeric)).toBeLessThan(1e-6);
    }
  });
});

describe('erfc and normalCdf', () => {
  it('match reference values within the documented relative error 1.2e-7', () => {
    const table: [number, number][] = [
      [-3, 1.9999779095030015],
      [-1, 1.842700792949715],
      [-0.5, 1.5204998778130465],
      [0, 1],
      [0.3, 0.6713732405408726],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.537459794428035e-12],
      [10, 2.088487583762545e-45],
    ];
    for (const [x, want] of table) expect(relErr(erfc(x), want)).toBeLessThan(1.2e-7);
  });

  it('gives Φ(1.96) = 0.975, Φ(0) = 1/2, and far tails to relative accuracy', () => {
    const table: [number, number][] = [
      [-5, 2.866515718791939e-7],
      [-1.96, 0.024997895148220435],
      [0, 0.5],
      [1, 0.8413447460685429],
      [1.96, 0.9750021048517795],
      [3, 0.9986501019683699],
    ];
    for (const [x, want] of table) expect(relErr(normalCdf(x), want)).toBeLessThan(1.2e-7);
    expect(Math.abs(normalCdf(1.96) - 0.975)).toBeLessThan(1e-5);
  });

  it('is symmetric: Φ(x) + Φ(−x) = 1', () => {
    // Exact by construction for x ≠ 0; at 0 both sides are erfc(0)/2, off by its 1.2e-7 error.
    for (let x = 0; x < 6; x += 0.25) {
      expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).toBeLessThan(1.2e-7);
    }
  });

  it('has Z95 and Z975 at the 95 % and 97.5 % points', () => {
    expect(Math.abs(normalCdf(Z95) - 0.95)).toBeLessThan(1e-7);
    expect(Math.abs(normalCdf(Z975) - 0.975)).toBeLessThan(1e-7);
  });
});
