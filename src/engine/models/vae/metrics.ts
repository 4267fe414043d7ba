// Per-generation metrics of the VAE experiment (names as in docs/architecture.md, "Metrics"):
// - heldOutElbo: mean ELBO per real test digit, nats (Vae.elbo; higher is better).
// - latentStd: the standard deviation of the encoder means mu(x) over all real test digits and
//   all latent dimensions pooled: sqrt(mean over (i, k) of (mu_ik - m)^2) with m the mean of all
//   n × L entries (population std, divisor n·L). Shumailov et al. ("The Curse of Recursion")
//   report this kind of spread falling 0.674 -> 0.433 over 4 generations for their VAE.
// - classHistogram / classEntropy: the classifier's predicted classes on the samples, as
//   counts (length 10) and the Shannon entropy of their proportions in bits (log2 10 ≈ 3.32
//   for a uniform spread, 0 when every sample is the same class).
// - diversity: the mean pairwise Euclidean distance between samples (pixels in [0, 1], 784-d)
//   over the first `diversitySubsample` samples (default 256), all distinct pairs i < j.
import * as tf from '@tensorflow/tfjs';
import type { Classifier } from './classifier';
import type { Vae } from './vae';

export interface VaeMetrics {
  heldOutElbo: number;
  latentStd: number;
  classEntropy: number;
  classHistogram: number[];
  diversity: number;
}

export interface VaeMetricsInput {
  vae: Vae;
  /** Real test digits, n × 784, float32 in [0, 1]. */
  testImages: tf.Tensor2D;
  classifier: Classifier;
  /** Samples of `vae` (or of whatever generation is being judged), m × 784 in [0, 1]. */
  samples: tf.Tensor2D;
  /** Samples used for the pairwise distance (default 256). */
  diversitySubsample?: number;
}

/** Entropy in bits of the distribution given by non-negative counts. */
export function entropyBits(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return 0;
  let h = 0;
  for (const c of counts) {
    if (c > 0) {
      const p = c / total;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

/** Mean pairwise Euclidean distance between the rows of `x` (m × d); 0 if m < 2. */
export async function meanPairwiseDistance(x: tf.Tensor2D): Promise<number> {
  const m = x.shape[0];
  if (m < 2) return 0;
  const total = tf.tidy(() => {
    // |a - b|^2 = |a|^2 + |b|^2 - 2 a·b, with the Gram matrix as an untransposed matMul (the
    // fast path on wasm), clamped at 0 against rounding; the diagonal is masked out.
    const sq = tf.sum(tf.square(x), 1, true); // m × 1
    const gram = tf.matMul(x, tf.transpose(x));
    const d2 = tf.relu(tf.sub(tf.add(sq, tf.transpose(sq)), tf.mul(gram, 2)));
    const offDiag = tf.sub(tf.onesLike(d2), tf.eye(m));
    return tf.sum(tf.mul(tf.sqrt(d2), offDiag));
  });
  const sum = (await total.data())[0];
  total.dispose();
  return sum / (m * (m - 1));
}

/** Pooled population std of all entries of `t`. */
async function pooledStd(t: tf.Tensor): Promise<number> {
  const v = tf.tidy(() => tf.moments(t).variance);
  const variance = (await v.data())[0];
  v.dispose();
  return Math.sqrt(Math.max(0, variance));
}

export async function vaeMetrics(input: VaeMetricsInput): Promise<VaeMetrics> {
  const { vae, testImages, classifier, samples } = input;
  const sub = Math.max(2, Math.floor(input.diversitySubsample ?? 256));

  const heldOutElbo = await vae.elbo(testImages);

  const mu = vae.encodeMeans(testImages);
  let latentStd: number;
  try {
    latentStd = await pooledStd(mu);
  } finally {
    mu.dispose();
  }

  const labelsT = classifier.classify(samples);
  let labels: Int32Array | Float32Array | Uint8Array;
  try {
    labels = (await labelsT.data()) as Int32Array;
  } finally {
    labelsT.dispose();
  }
  const classHistogram = new Array<number>(10).fill(0);
  for (const l of labels) if (l >= 0 && l < 10) classHistogram[l]++;
  const classEntropy = entropyBits(classHistogram);

  const m = Math.min(sub, samples.shape[0]);
  const head =
    m === samples.shape[0] ? samples : (tf.slice(samples, [0, 0], [m, -1]) as tf.Tensor2D);
  let diversity: number;
  try {
    diversity = await meanPairwiseDistance(head);
  } finally {
    if (head !== samples) head.dispose();
  }

  return { heldOutElbo, latentStd, classEntropy, classHistogram, diversity };
}
