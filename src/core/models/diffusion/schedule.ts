// The DDPM's noise schedule and time embedding (Ho et al. 2020), pure numbers shared by the tfjs
// model (engine/models/diffusion/ddpm.ts) and the tests:
// - Betas rise linearly from 1e-4 · (1000 / T) to 0.02 · (1000 / T): Ho et al.'s 1,000-step
//   schedule rescaled to T steps as Nichol & Dhariwal's code does, so that ᾱ_T stays below 5e-5
//   for every T in 50–200 (Σ β ≈ 10) and x_T is pure noise whatever T.
// - Forward process: x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, t = 1…T, ᾱ_t = Π_{s ≤ t} (1 − β_s).
// - Reverse step (the sampler), as Ho et al.'s code with clip_denoised: the predicted clean point
//   x̂₀ = (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t, clipped to ±X0_CLIP per coordinate, then the posterior
//   mean μ̃ = √ᾱ_{t−1} β_t / (1 − ᾱ_t) · x̂₀ + √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · x_t (unclipped, the
//   same as (x_t − β_t / √(1 − ᾱ_t) · ε̂) / √α_t), plus σ_t z with the posterior std
//   σ_t = √(β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t)) (σ_1 = 0: the last step adds no noise). Without the
//   clip a barely trained model's errors are multiplied by up to 1/√ᾱ_T ≈ 150 on the way back.
// - Time embedding: sin and cos of t · ω_k for EMBED / 2 frequencies ω_k = 1000^(−k / (EMBED/2 − 1))
//   · (1000 / T), the Transformer's positional encoding on the 1,000-step clock, so the
//   embedding of a given noise level does not depend on T.
// Index i = t − 1 (0-based) everywhere below.

/** Sinusoidal time-embedding width. */
export const EMBED = 16;
/**
 * Bound on each coordinate of the predicted clean point, in the model's units (the data divided
 * by the real distribution's std): every real distribution here lies within ±2.2 of its centre.
 */
export const X0_CLIP = 3;

export interface DdpmSchedule {
  steps: number;
  betas: Float64Array;
  alphaBars: Float64Array;
  /** √ᾱ_t and √(1 − ᾱ_t): the forward process's scales. */
  signal: Float64Array;
  noise: Float64Array;
  /** The reverse step's 1/√α_t, β_t/√(1 − ᾱ_t) and σ_t. */
  inverseSqrtAlpha: Float64Array;
  epsilonScale: Float64Array;
  sigma: Float64Array;
  /** x̂₀ = x0FromXt · x_t − x0FromEps · ε̂; μ̃ = meanFromX0 · x̂₀ + meanFromXt · x_t. */
  x0FromXt: Float64Array;
  x0FromEps: Float64Array;
  meanFromX0: Float64Array;
  meanFromXt: Float64Array;
  /** T × EMBED row-major: the embedding of each step. */
  embedding: Float32Array;
}

export function ddpmSchedule(steps: number): DdpmSchedule {
  const T = Math.round(steps);
  if (!(T >= 2 && T <= 10_000)) throw new RangeError(`steps must be in 2–10000, got ${steps}`);
  const scale = 1000 / T;
  const lo = 1e-4 * scale;
  const hi = 0.02 * scale;
  const betas = new Float64Array(T);
  const alphaBars = new Float64Array(T);
  const signal = new Float64Array(T);
  const noise = new Float64Array(T);
  const inverseSqrtAlpha = new Float64Array(T);
  const epsilonScale = new Float64Array(T);
  const sigma = new Float64Array(T);
  const x0FromXt = new Float64Array(T);
  const x0FromEps = new Float64Array(T);
  const meanFromX0 = new Float64Array(T);
  const meanFromXt = new Float64Array(T);
  let bar = 1;
  for (let i = 0; i < T; i++) {
    const beta = lo + ((hi - lo) * i) / (T - 1);
    const previous = bar;
    bar *= 1 - beta;
    betas[i] = beta;
    alphaBars[i] = bar;
    signal[i] = Math.sqrt(bar);
    noise[i] = Math.sqrt(1 - bar);
    inverseSqrtAlpha[i] = 1 / Math.sqrt(1 - beta);
    epsilonScale[i] = beta / Math.sqrt(1 - bar);
    sigma[i] = i === 0 ? 0 : Math.sqrt((beta * (1 - previous)) / (1 - bar));
    x0FromXt[i] = 1 / Math.sqrt(bar);
    x0FromEps[i] = Math.sqrt(1 / bar - 1);
    meanFromX0[i] = (Math.sqrt(previous) * beta) / (1 - bar);
    meanFromXt[i] = (Math.sqrt(1 - beta) * (1 - previous)) / (1 - bar);
  }
  const half = EMBED / 2;
  const embedding = new Float32Array(T * EMBED);
  for (let i = 0; i < T; i++) {
    const t = (i + 1) * scale;
    for (let k = 0; k < half; k++) {
      const w = 1000 ** (-k / (half - 1));
      embedding[i * EMBED + k] = Math.sin(t * w);
      embedding[i * EMBED + half + k] = Math.cos(t * w);
    }
  }
  return {
    steps: T,
    betas,
    alphaBars,
    signal,
    noise,
    inverseSqrtAlpha,
    epsilonScale,
    sigma,
    x0FromXt,
    x0FromEps,
    meanFromX0,
    meanFromXt,
    embedding,
  };
}
