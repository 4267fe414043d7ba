import { describe, expect, it } from 'vitest';
import { ddpmSchedule, EMBED } from '../../../../../src/core/models/diffusion/schedule';

describe('the DDPM schedule', () => {
  it.each([50, 100, 200])('ends in pure noise at T = %i (ᾱ_T < 5e-5), whatever T', (T) => {
    const s = ddpmSchedule(T);
    expect(s.alphaBars[T - 1]).toBeLessThan(5e-5);
    expect(s.alphaBars[T - 1]).toBeGreaterThan(0);
    expect(s.betas[0]).toBeCloseTo(0.1 / T, 14);
    expect(s.betas[T - 1]).toBeCloseTo(20 / T, 14);
    // The forward process keeps unit variance: signal² + noise² = 1.
    for (let i = 0; i < T; i++) expect(s.signal[i] ** 2 + s.noise[i] ** 2).toBeCloseTo(1, 12);
  });

  it('has the posterior std of Ho et al. and no noise at the last reverse step', () => {
    const s = ddpmSchedule(60);
    expect(s.sigma[0]).toBe(0);
    const i = 30;
    const want = Math.sqrt((s.betas[i] * (1 - s.alphaBars[i - 1])) / (1 - s.alphaBars[i]));
    expect(s.sigma[i]).toBeCloseTo(want, 14);
    expect(s.epsilonScale[i]).toBeCloseTo(s.betas[i] / Math.sqrt(1 - s.alphaBars[i]), 14);
  });

  it('steps back through the clean-point prediction exactly as the ε form, when unclipped', () => {
    const s = ddpmSchedule(80);
    for (const i of [1, 20, 79]) {
      const [xt, eps] = [0.7, -1.3];
      const x0 = s.x0FromXt[i] * xt - s.x0FromEps[i] * eps;
      const viaX0 = s.meanFromX0[i] * x0 + s.meanFromXt[i] * xt;
      const viaEps = (xt - s.epsilonScale[i] * eps) * s.inverseSqrtAlpha[i];
      expect(viaX0).toBeCloseTo(viaEps, 12);
    }
  });

  it('embeds a noise level the same way whatever T (on the 1,000-step clock)', () => {
    const a = ddpmSchedule(50);
    const b = ddpmSchedule(100);
    // Step 10 of 50 and step 20 of 100 are both t = 200 on the 1,000-step clock.
    expect(Array.from(a.embedding.subarray(9 * EMBED, 10 * EMBED))).toEqual(
      Array.from(b.embedding.subarray(19 * EMBED, 20 * EMBED)),
    );
    for (const v of b.embedding) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('refuses fewer than 2 steps', () => {
    expect(() => ddpmSchedule(1)).toThrow(RangeError);
  });
});
