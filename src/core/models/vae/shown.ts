// What the VAE view shows of chain 1 each generation (filled in by the tfjs family in
// src/engine/models/vae/).

export interface VaeShown {
  /** Digits sampled from chain 1's VAE for the filmstrip, VAE_FILMSTRIP_DIGITS × 784 bytes. */
  samples: Uint8Array;
  /** latentSize 2 only: encoder means of the first test digits, n × 2, and their labels. */
  latent?: Float32Array;
  latentLabels?: Uint8Array;
  /** Chain 1's sampled digits by predicted class, as fractions (length 10, sum 1). */
  classHistogram: number[];
  /** The same metrics on real test digits, for reference lines (identical every generation). */
  reference: { classEntropy: number; diversity: number };
  /** tfjs memory at the end of the generation: equal every generation unless tensors leak. */
  memory: { numTensors: number; numBytes: number };
}
