// Trains the digit classifier shipped in public/data (classifier.json + classifier.bin): an MLP
// 784-128-10 (ReLU) on the 8,000 training digits, Adam, seeded init and shuffling, with random
// ±1-pixel shifts as augmentation. Prints the test accuracy on the 2,000 test digits as JSON.
// Run: npx tsx scripts/train-classifier.ts [--epochs 30] [--hidden 128] [--backend wasm|cpu]
//      [--no-augment] [--dry-run]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  type ClassifierWeights,
  createClassifier,
  parseClassifier,
  serializeClassifier,
} from '../src/engine/models/vae/classifier';
import {
  MNIST_PIXELS,
  type MnistData,
  mnistToFloat,
  parseMnist,
} from '../src/engine/models/vae/mnist';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const EPOCHS = Number(opt('epochs', '30'));
const HIDDEN = Number(opt('hidden', '128'));
const BATCH = Number(opt('batch', '64'));
const LR = Number(opt('lr', '0.001'));
const SEED = Number(opt('seed', '7'));
const AUGMENT = !flag('no-augment');
const BACKEND = opt('backend', 'wasm');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, 'public', 'data');
const load = (name: string) => parseMnist(readFileSync(join(dataDir, name)));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Copy of the digits, each shifted by a random (dx, dy) in {-1, 0, 1}², zero-filled. */
function shifted(data: MnistData, rand: () => number): Float32Array {
  const out = new Float32Array(data.count * MNIST_PIXELS);
  for (let k = 0; k < data.count; k++) {
    const dx = Math.floor(rand() * 3) - 1;
    const dy = Math.floor(rand() * 3) - 1;
    const base = k * MNIST_PIXELS;
    for (let r = 0; r < 28; r++) {
      const sr = r - dy;
      if (sr < 0 || sr >= 28) continue;
      for (let c = 0; c < 28; c++) {
        const sc = c - dx;
        if (sc < 0 || sc >= 28) continue;
        out[base + r * 28 + c] = data.images[base + sr * 28 + sc] / 255;
      }
    }
  }
  return out;
}

async function main() {
  if (!(await tf.setBackend(BACKEND))) throw new Error(`backend ${BACKEND} unavailable`);
  await tf.ready();
  const train = load('mnist-train.bin');
  const test = load('mnist-test.bin');
  const rand = mulberry32(SEED);

  const glorot = (fanIn: number, fanOut: number, seed: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    // tf.variable does not take ownership of its initial value: build it inside tidy.
    return tf.tidy(() =>
      tf.variable(tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', seed)),
    );
  };
  const w1 = glorot(MNIST_PIXELS, HIDDEN, SEED * 2 + 1);
  const b1 = tf.tidy(() => tf.variable(tf.zeros([HIDDEN])));
  const w2 = glorot(HIDDEN, 10, SEED * 2 + 2);
  const b2 = tf.tidy(() => tf.variable(tf.zeros([10])));
  const vars = [w1, b1, w2, b2];
  const optimizer = tf.train.adam(LR);
  const yTrain = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), 10).toFloat());
  const t0 = performance.now();
  const steps = Math.floor(train.count / BATCH);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    // Cosine decay of the learning rate over the run.
    (optimizer as unknown as { learningRate: number }).learningRate =
      LR * 0.5 * (1 + Math.cos((Math.PI * epoch) / EPOCHS));
    const xs = tf.tensor2d(AUGMENT ? shifted(train, rand) : mnistToFloat(train), [
      train.count,
      MNIST_PIXELS,
    ]);
    const perm = new Int32Array(train.count).map((_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    let lastLoss: tf.Scalar | null = null;
    for (let s = 0; s < steps; s++) {
      const idx = tf.tensor1d(perm.subarray(s * BATCH, (s + 1) * BATCH), 'int32');
      const cost = optimizer.minimize(
        () =>
          tf.tidy(() => {
            const x = tf.gather(xs, idx);
            const y = tf.gather(yTrain, idx);
            const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);
            const nll = tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(y, logits), 1));
            return tf.mean(nll) as tf.Scalar;
          }),
        s === steps - 1,
        vars,
      );
      idx.dispose();
      if (cost) lastLoss = cost;
    }
    xs.dispose();
    if (lastLoss) {
      const loss = (await lastLoss.data())[0];
      lastLoss.dispose();
      if (epoch % 5 === 4 || epoch === EPOCHS - 1) {
        console.error(`epoch ${epoch + 1}/${EPOCHS} loss ${loss.toFixed(4)}`);
      }
    }
  }
  const trainMs = performance.now() - t0;

  const weights: ClassifierWeights = {
    layers: [
      {
        inputs: MNIST_PIXELS,
        units: HIDDEN,
        activation: 'relu',
        kernel: (await w1.data()) as Float32Array,
        bias: (await b1.data()) as Float32Array,
      },
      {
        inputs: HIDDEN,
        units: 10,
        activation: 'linear',
        kernel: (await w2.data()) as Float32Array,
        bias: (await b2.data()) as Float32Array,
      },
    ],
  };
  optimizer.dispose();
  for (const v of vars) v.dispose();
  yTrain.dispose();

  // Accuracy of the weights as shipped (after the float16 round trip).
  const accuracy = async (w: ClassifierWeights, data: MnistData) => {
    const clf = createClassifier(w);
    const x = tf.tensor2d(mnistToFloat(data), [data.count, MNIST_PIXELS]);
    const pred = clf.classify(x);
    const p = await pred.data();
    tf.dispose([x, pred]);
    clf.dispose();
    let ok = 0;
    for (let i = 0; i < data.count; i++) if (p[i] === data.labels[i]) ok++;
    return ok / data.count;
  };
  const settings = {
    architecture: `784-${HIDDEN}-10 ReLU MLP`,
    epochs: EPOCHS,
    batchSize: BATCH,
    learningRate: LR,
    schedule: 'cosine decay per epoch',
    augmentation: AUGMENT ? 'random shift by -1..1 px in x and y' : 'none',
    seed: SEED,
    backend: tf.getBackend(),
  };
  const { manifest: m0, bin: bin0 } = serializeClassifier(weights, 'float16');
  const shipped = parseClassifier(m0, bin0);
  const testAccuracy = await accuracy(shipped, test);
  const trainAccuracy = await accuracy(shipped, train);
  const { manifest, bin } = serializeClassifier(weights, 'float16', {
    ...settings,
    trainedOn: 'public/data/mnist-train.bin (8,000 digits)',
    testAccuracy: Number(testAccuracy.toFixed(4)),
    trainAccuracy: Number(trainAccuracy.toFixed(4)),
    script: 'scripts/train-classifier.ts',
  });
  if (!flag('dry-run')) {
    writeFileSync(join(dataDir, 'classifier.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(dataDir, 'classifier.bin'), bin);
  }
  console.log(
    JSON.stringify({
      ...settings,
      testAccuracy,
      trainAccuracy,
      trainSeconds: Number((trainMs / 1000).toFixed(1)),
      binBytes: bin.length,
      written: !flag('dry-run'),
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
