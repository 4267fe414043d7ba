// Chain 1's training points as the charts take them: split by provenance.
import { REAL, type TrainingSample } from '../core/generation/types';

/** 1-D points split into synthetic and real (each in the sample's order). */
export function splitByOrigin(sample: TrainingSample): {
  syntheticSamples: Float32Array;
  realSamples: Float32Array;
} {
  const syn: number[] = [];
  const real: number[] = [];
  for (let i = 0; i < sample.origin.length; i++) {
    (sample.origin[i] === REAL ? real : syn).push(sample.values[i]);
  }
  return { syntheticSamples: Float32Array.from(syn), realSamples: Float32Array.from(real) };
}

/** 1 where the point is synthetic. */
export function syntheticFlags(sample: TrainingSample): Uint8Array {
  return Uint8Array.from(sample.origin, (o) => (o === REAL ? 0 : 1));
}
