// What the diffusion view shows of chain 1 each generation (filled in by the tfjs family in
// src/engine/models/diffusion/).

export interface DiffusionShown {
  /** The points chain 1's model drew for its metrics, n × 2 (the scatter and the filmstrip). */
  samples: Float32Array;
  /** Loss (mean squared noise error) of the last training batch read back. */
  loss: number;
  /** tfjs memory at the end of the generation: equal every generation unless tensors leak. */
  memory: { numTensors: number; numBytes: number };
}
