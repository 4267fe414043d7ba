// Times one Adam step of the MLP VAE 784-128-8 at batch 64 (the reference setting) on the wasm
// and cpu backends in Node: the lean engine (src/engine/models/vae/vae.ts) and, for comparison, a plain
// autodiff version (8 tf.variables, tf.matMul, autodiff, Adam over 8 variables).
// Warm-up, then the median over rounds of ms per step. Prints one JSON object.
// Run: npx tsx scripts/bench-vae-step.ts [--rounds 15] [--steps 10] [--backends wasm,cpu]
//      [--no-naive]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mnistToFloat, parseMnist } from '../src/engine/models/vae/mnist';
import { Vae } from '../src/engine/models/vae/vae';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const ROUNDS = Number(opt('rounds', '15'));
const STEPS = Number(opt('steps', '10'));
const BACKENDS = opt('backends', 'wasm,cpu').split(',');
const NAIVE = !args.includes('--no-naive');
const BATCH = 64;
const HIDDEN = 128;
const LATENT = 8;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mnist = parseMnist(readFileSync(join(root, 'public', 'data', 'mnist-train.bin')));
const pixels = mnistToFloat(mnist, 0, BATCH * STEPS);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function benchLean(data: tf.Tensor2D) {
  const vae = new Vae({ latentSize: LATENT, hiddenSize: HIDDEN, learningRate: 1e-3, seed: 1 });
  const opts = { epochs: 1, batchSize: BATCH, progressEvery: STEPS };
  await vae.trainEpochs(data, opts); // warm-up
  await vae.trainEpochs(data, opts);
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await vae.trainEpochs(data, opts); // STEPS steps, one loss read at the end
    times.push((performance.now() - t0) / STEPS);
  }
  vae.dispose();
  return times;
}

/** The textbook version: separate variables, tf.matMul and autodiff, Adam over 8 variables. */
async function benchNaive(data: tf.Tensor2D) {
  const D = 784;
  const init = (shape: number[], seed: number) =>
    tf.tidy(() =>
      tf.variable(tf.truncatedNormal(shape, 0, Math.sqrt(2 / shape[0]), 'float32', seed)),
    );
  const zero = (n: number) => tf.tidy(() => tf.variable(tf.zeros([n])));
  const w1 = init([D, HIDDEN], 1);
  const b1 = zero(HIDDEN);
  const wm = init([HIDDEN, LATENT], 2);
  const bm = zero(LATENT);
  const wv = init([HIDDEN, LATENT], 3);
  const bv = zero(LATENT);
  const w3 = init([LATENT, HIDDEN], 4);
  const b3 = zero(HIDDEN);
  const w4 = init([HIDDEN, D], 5);
  const b4 = zero(D);
  const vars = [w1, b1, wm, bm, wv, bv, w3, b3, w4, b4];
  const opt = tf.train.adam(1e-3);
  let seed = 1;
  const step = (i: number, read: boolean) =>
    tf.tidy(() => {
      const x = tf.slice(data, [i * BATCH, 0], [BATCH, D]);
      const eps = tf.randomNormal([BATCH, LATENT], 0, 1, 'float32', seed++);
      const c = opt.minimize(
        () => {
          const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
          const mu = tf.add(tf.matMul(h, wm), bm);
          const lv = tf.add(tf.matMul(h, wv), bv);
          const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps));
          const h2 = tf.relu(tf.add(tf.matMul(z, w3), b3));
          const l = tf.add(tf.matMul(h2, w4), b4);
          const recon = tf.sum(tf.sub(tf.softplus(l), tf.mul(x, l)));
          const kl = tf.mul(tf.sum(tf.sub(tf.sub(tf.add(tf.exp(lv), tf.square(mu)), 1), lv)), 0.5);
          return tf.div(tf.add(recon, kl), BATCH) as tf.Scalar;
        },
        read,
        vars,
      );
      return c ?? undefined;
    });
  const run = async () => {
    let last: tf.Scalar | undefined;
    for (let i = 0; i < STEPS; i++) last = step(i, i === STEPS - 1) as tf.Scalar | undefined;
    if (last) {
      await last.data();
      last.dispose();
    }
  };
  await run();
  await run();
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await run();
    times.push((performance.now() - t0) / STEPS);
  }
  opt.dispose();
  for (const v of vars) v.dispose();
  return times;
}

async function main() {
  const results: Record<string, unknown> = {};
  for (const backend of BACKENDS) {
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
    await tf.ready();
    const data = tf.tensor2d(pixels, [BATCH * STEPS, 784]);
    const before = tf.memory().numTensors;
    const lean = await benchLean(data);
    const leanLeak = tf.memory().numTensors - before;
    const entry: Record<string, unknown> = {
      leanMsPerStep: Number(median(lean).toFixed(2)),
      leanMinMs: Number(Math.min(...lean).toFixed(2)),
      leanTensorLeak: leanLeak,
    };
    if (NAIVE) {
      const naive = await benchNaive(data);
      entry.naiveMsPerStep = Number(median(naive).toFixed(2));
      entry.speedup = Number((median(naive) / median(lean)).toFixed(2));
    }
    data.dispose();
    results[backend] = entry;
  }
  console.log(
    JSON.stringify({
      model: `MLP VAE 784-${HIDDEN}-${LATENT}`,
      batchSize: BATCH,
      rounds: ROUNDS,
      stepsPerRound: STEPS,
      node: process.version,
      tfjs: tf.version.tfjs,
      results,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
