// The VAE's shipped data (MNIST digits and the digit classifier), loaded once per worker, and the
// real-digit source of one chain.
import { type Rng, shuffle } from '../../../core/rng';
import { type ClassifierWeights, parseClassifier } from './classifier';
import { MNIST_PIXELS, type MnistData, parseMnist } from './mnist';

export interface VaeData {
  /** The 8,000 training digits. */
  train: MnistData;
  /** The 2,000 test digits. */
  test: MnistData;
  classifier: ClassifierWeights;
}

export const VAE_DATA_FILES = [
  'mnist-train.bin',
  'mnist-test.bin',
  'classifier.json',
  'classifier.bin',
] as const;

let dataPromise: Promise<VaeData> | null = null;

/** The digits and the classifier's weights, read through `load` and parsed once per worker. */
export function loadVaeData(load: (name: string) => Promise<ArrayBuffer>): Promise<VaeData> {
  dataPromise ??= Promise.all(VAE_DATA_FILES.map((name) => load(name)))
    .then(([train, test, manifest, weights]) => ({
      train: parseMnist(train),
      test: parseMnist(test),
      classifier: parseClassifier(new TextDecoder().decode(manifest), weights),
    }))
    .catch((e: unknown) => {
      dataPromise = null; // let a later run try again
      throw e;
    });
  return dataPromise;
}

/** Forgets the parsed data (tests that count the files read). */
export function forgetVaeData(): void {
  dataPromise = null;
}

/**
 * One chain's walk over `count` digits: a random permutation drawn from `rng`, taken in order, so
 * no digit repeats until all have been used; then the used ones are reshuffled (a digit taken
 * just before the end of a pass can come again soon after it, never within one take).
 */
export function digitWalk(count: number, rng: Rng): (k: number) => Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  shuffle(order, rng);
  let pos = 0;
  return (k) => {
    if (k > count) throw new RangeError(`${k} digits asked of ${count}`);
    if (pos + k <= count) {
      const out = order.slice(pos, pos + k);
      pos += k;
      return out;
    }
    // Too few unused digits left: take them all, then start a new pass whose order is those
    // digits followed by a reshuffle of all the used ones, and take the rest from it.
    const left = order.slice(pos);
    const used = order.slice(0, pos);
    shuffle(used, rng);
    order.set(left);
    order.set(used, left.length);
    pos = k;
    return order.slice(0, k);
  };
}

/** A chain's real digits: its own walk over `digits`, each digit's bytes copied into `out`. */
export function realDigits(digits: MnistData, rng: Rng): (k: number, out: Uint8Array) => void {
  const walk = digitWalk(digits.count, rng);
  const D = MNIST_PIXELS;
  return (k, out) => {
    const idx = walk(k);
    for (let i = 0; i < k; i++)
      out.set(digits.images.subarray(idx[i] * D, (idx[i] + 1) * D), i * D);
  };
}
