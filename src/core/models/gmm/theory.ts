// Theory for the whole-mixture variance of a Gaussian mixture refitted by EM, generation after
// generation, on samples of the previous generation (core/generation/loop.ts, regime 'replace').
//
// 1. What EM preserves exactly. Take any responsibilities r_ik ≥ 0 with Σ_k r_ik = 1 (whatever
//    the initialisation, iteration count, tolerance or local optimum). The M-step sets
//    n_k = Σ_i r_ik, w_k = n_k / n, μ_k = Σ_i r_ik x_i / n_k and
//    Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / n_k + ρ I (ρ = regCovar). Then
//      μ = Σ_k w_k μ_k = (1/n) Σ_k Σ_i r_ik x_i = x̄, and, because
//      Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ = Σ_i r_ik x_i x_iᵀ − n_k μ_k μ_kᵀ,
//      Σ_tot = Σ_k w_k (Σ_k + μ_k μ_kᵀ) − μ μᵀ = (1/n) Σ_i x_i x_iᵀ − x̄ x̄ᵀ + ρ I = S + ρ I,
//    with S the MLE (divide-by-n) sample covariance of the training data. So after every M-step —
//    not only at convergence — the fitted mixture's mean is the sample mean and its total
//    covariance is S + ρ I. (scikit-learn adds 10·eps to each n_k, which moves this by ~1e-15
//    relative; the tests check the identity to 1e-12.) The mixture's variance v = trace(Σ_tot)/d
//    is therefore trace(S)/d + ρ, exactly as for a single Gaussian fitted by the MLE, plus ρ.
//
// 2. Sampling. The next training set is M iid draws from the fitted mixture (temperature 1),
//    whose covariance is Σ_tot. For iid draws from any distribution with covariance Σ,
//    E[S] = (M − 1)/M · Σ. Hence, with q = (M − 1)/M,
//      E[v_{g+1} | model g] = q v_g + ρ,
//    and by the tower property, generation 0 being fitted to M real points of variance v_real,
//      E[v_g] = q^(g+1) v_real + ρ (1 − q^(g+1)) / (1 − q) = q^(g+1) v_real + M ρ (1 − q^(g+1)).
//    E[v] shrinks by (M − 1)/M per generation like the single Gaussian and settles at M ρ
//    (1e-3 for M = 1000, ρ = 1e-6, i.e. std ≈ 0.032): regCovar is what keeps a collapsed mixture
//    from reaching 0. E[v] is the mean over chains; as for the 1-D Gaussian, v_g is a product of
//    random factors, so the median chain falls faster than the mean.
//
// 3. Mixing fresh real data (regime 'replace', realData 'fresh', n_s = round(M·share) synthetic
//    points from model g, n_r = M − n_s fresh real points). For two independent iid groups,
//      E[S] = (M − 1)/M² (n_s Σ_g + n_r Σ_r) + (n_s n_r / M²)(μ_g − μ_r)(μ_g − μ_r)ᵀ,
//    and the new mean is the pooled sample mean, so with D = |μ − μ_r|² / d:
//      E[v_{g+1} | g] = (M − 1)/M² (n_s v_g + n_r v_r) + (n_s n_r / M²) D_g + ρ,
//      E[D_{g+1} | g] = (n_s / M)² D_g + (n_s v_g + n_r v_r) / M².
//    Both are linear in (v_g, D_g), so the expectations follow the same recursion exactly. With
//    n_s = M the first is the recursion of part 2 and the second says the mean wanders as a random
//    walk: E[D] grows by E[v]/M per generation. Generation 0: E[v_0] = q v_r + ρ, E[D_0] = v_r/M.
//
// Not covered: temperature ≠ 1 (the sampled covariance Σ_k w_k (λ Σ_k + …) then depends on how
// the variance splits between and within components, not on v alone), realData 'fixed' with real
// points in the mix (the same points every generation), and the accumulate regimes.

export interface GmmVarianceTheory {
  /** E[v_g]: expected per-coordinate variance of the mixture at generation g = 0…generations. */
  variance: Float64Array;
  /** E[|μ_g − μ_real|² / d]: expected squared drift of the mixture's mean, per coordinate. */
  meanDrift: Float64Array;
}

/**
 * Expected whole-mixture variance and mean drift for generations 0…generations of the replace
 * loop with fresh real data: M points per generation, `syntheticCount` of them (default M: the
 * fully synthetic loop) sampled from the previous model at temperature 1, real variance
 * `initialVariance` (trace / d), regCovar ρ.
 */
export function gmmVarianceTheory(
  M: number,
  generations: number,
  initialVariance: number,
  regCovar = 0,
  syntheticCount = M,
): GmmVarianceTheory {
  const variance = new Float64Array(generations + 1);
  const meanDrift = new Float64Array(generations + 1);
  const vr = initialVariance;
  const ns = syntheticCount;
  const nr = M - ns;
  let v = ((M - 1) / M) * vr + regCovar;
  let D = vr / M;
  variance[0] = v;
  meanDrift[0] = D;
  for (let g = 1; g <= generations; g++) {
    const nv = ((M - 1) / (M * M)) * (ns * v + nr * vr) + ((ns * nr) / (M * M)) * D + regCovar;
    const nD = (ns / M) ** 2 * D + (ns * v + nr * vr) / (M * M);
    v = nv;
    D = nD;
    variance[g] = v;
    meanDrift[g] = D;
  }
  return { variance, meanDrift };
}

/**
 * E[v_g] for g = 0…generations: the fully synthetic replace loop (share 1, temperature 1),
 * E[v_g] = q^(g+1) v_real + M ρ (1 − q^(g+1)) with q = (M − 1)/M. `syntheticCount` < M gives
 * the fresh-real mix of part 3.
 */
export function gmmTotalVarianceTheory(
  M: number,
  generations: number,
  initialVariance: number,
  regCovar = 0,
  syntheticCount = M,
): Float64Array {
  if (syntheticCount === M) {
    const q = (M - 1) / M;
    const out = new Float64Array(generations + 1);
    for (let g = 0; g <= generations; g++) {
      const f = q ** (g + 1);
      out[g] = f * initialVariance + M * regCovar * (1 - f);
    }
    return out;
  }
  return gmmVarianceTheory(M, generations, initialVariance, regCovar, syntheticCount).variance;
}

/** The level E[v] settles at in the fully synthetic loop: M · regCovar. */
export function gmmVarianceFloor(M: number, regCovar: number): number {
  return M * regCovar;
}

/**
 * Why the theory does not describe a recipe, or null when it does: the replace regime at
 * temperature 1 with fresh real data (or no real data after generation 0).
 */
export function gmmTheoryUnavailable(recipe: {
  regime: string;
  temperature: number;
  realData: string;
  samplesPerGeneration: number;
  syntheticFraction: number;
  syntheticSchedule?: unknown;
  filter?: unknown;
  curation?: unknown;
}): string | null {
  if (recipe.syntheticSchedule || recipe.filter || recipe.curation)
    return 'theory does not cover the mitigations (a schedule, a filter or curation)';
  if (recipe.regime !== 'replace') return 'theory covers the replace regime only';
  if (recipe.temperature !== 1) return 'theory needs temperature 1';
  const ns = Math.round(recipe.samplesPerGeneration * recipe.syntheticFraction);
  if (recipe.realData === 'fixed' && ns < recipe.samplesPerGeneration) {
    return 'theory needs fresh real data (fixed real points repeat every generation)';
  }
  return null;
}
