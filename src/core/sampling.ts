// Sampling helpers shared by the generation loops.
import type { Rng } from './rng';

/**
 * k distinct indices drawn uniformly from [0, n) (Floyd's algorithm: k draws, no O(n) shuffle).
 * `mark` is scratch of length ≥ n, all zero on entry and left all zero on return.
 */
export function sampleIndices(n: number, k: number, rng: Rng, mark: Uint8Array): Int32Array {
  const out = new Int32Array(k);
  let o = 0;
  for (let j = n - k; j < n; j++) {
    let t = rng.int(j + 1);
    if (mark[t]) t = j;
    mark[t] = 1;
    out[o++] = t;
  }
  for (let i = 0; i < k; i++) mark[out[i]] = 0;
  return out;
}
