// The workloads `npm run bench` times, shared by Node (src/bench/node.ts) and the browser bench
// worker (bench.worker.ts). Each runs the app's own code — the generation loop and the model
// families, the GMM fitters, the VAE, the DDPM, the GPT — and returns plain numbers; the caller
// picks the tfjs backend and says where it ran.
import * as tf from '@tensorflow/tfjs';
import { simulate } from '../core/generation/loop';
import { sampleGmm } from '../core/mixture';
import { DIFFUSION_BATCH } from '../core/models/diffusion/spec';
import { gaussianFamily } from '../core/models/gaussian1d/family';
import { gmmFamily } from '../core/models/gmm/family';
import { createTsGmmFitter, type GmmFitter } from '../core/models/gmm/fitter';
import { CORPUS_FILE, parseCorpus } from '../core/models/ngram/corpus';
import { fitNgram, PASSAGE, samplePassages, samplerScratch } from '../core/models/ngram/ngram';
import { PASSAGE_TOKENS, PROMPT_TOKENS } from '../core/models/transformer/spec';
import { realDistribution } from '../core/realDistributions';
import { DEFAULT_RECIPE, DEFAULT_RECIPES, type GmmRecipe, parseRecipe } from '../core/recipe';
import { createRng } from '../core/rng';
import { Ddpm } from '../engine/models/diffusion/ddpm';
import {
  BASE_FILE,
  HELD_OUT_FILE,
  parseTransformerData,
  TOKENIZER_FILE,
  type TransformerData,
} from '../engine/models/transformer/data';
import { Gpt } from '../engine/models/transformer/gpt';
import { Vae } from '../engine/models/vae/vae';
import { median, powersOfTwo, type SweepPoint } from './stats';

/** The GMM workload of the issue: K = 2, d = 2, M = 1000, tol 1e-3 (scikit-learn's defaults). */
export const GMM_WORKLOAD = {
  K: 2,
  d: 2,
  M: 1000,
  tol: 1e-3,
  maxIter: 100,
  regCovar: 1e-6,
} as const;

/** The VAE of the step figure: the default MLP 784-128-8 at batch 64. */
export const VAE_WORKLOAD = { hiddenSize: 128, latentSize: 8, batchSize: 64 } as const;

/**
 * ms for the default Gaussian scenario (DEFAULT_RECIPE: every chain, every generation) through
 * the one loop in this thread: the median of `runs` runs after one that warms the JIT.
 */
export async function gaussianDefaultMs(runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    for await (const _ of simulate(DEFAULT_RECIPE, gaussianFamily(DEFAULT_RECIPE))) {
      // drain
    }
    if (i > 0) times.push(performance.now() - t0);
  }
  return median(times);
}

interface TimingOptions {
  /** Generations timed (after the warm-up). */
  generations?: number;
  /** Generations run first and not timed (JIT, kernels, shaders, new tensor shapes). */
  warmup?: number;
  /** Stop timing once this much time has passed and one generation is timed. */
  budgetMs?: number;
}

/**
 * ms per generation of `R` collapsing GMM chains (GMM_WORKLOAD) on `fitter`: one fit call for
 * every chain's training set, then each chain samples its next M points from its fit. The
 * median over the timed generations.
 */
export async function gmmMsPerGeneration(
  fitter: GmmFitter,
  R: number,
  { generations = 10, warmup = 2, budgetMs = 20_000 }: TimingOptions = {},
): Promise<{ msPerGeneration: number; timedGenerations: number }> {
  const { K, d, M, tol, maxIter, regCovar } = GMM_WORKLOAD;
  const data = Array.from({ length: R }, (_, r) => {
    const rng = createRng(2, r, 1);
    return Float64Array.from({ length: M * d }, () => rng.normal());
  });
  const synth = Array.from({ length: R }, (_, r) => createRng(2, r, 2));
  const init = Array.from({ length: R }, (_, r) => createRng(2, r, 11));
  const times: number[] = [];
  const start = performance.now();
  for (let g = 0; g < warmup + generations; g++) {
    const t0 = performance.now();
    const models = await fitter.fit({
      data,
      n: M,
      d,
      k: K,
      tol,
      maxIter,
      regCovar,
      seeds: init.map((rng) => rng.int(4294967296)),
    });
    for (let r = 0; r < R; r++) sampleGmm(models[r], M, synth[r], 1, data[r]);
    if (g >= warmup) times.push(performance.now() - t0);
    if (times.length > 0 && performance.now() - start > budgetMs) break;
  }
  return { msPerGeneration: median(times), timedGenerations: times.length };
}

/** The language model's workload: an order-3 Kneser–Ney model, 100,000 tokens per generation. */
export const NGRAM_WORKLOAD = { order: 3, tokens: 100_000 } as const;

/**
 * The language model's generation, as the loop runs it: fit an order-3 Kneser–Ney model to
 * 100,000 tokens (whole passages), then sample as many from it, generation after generation from
 * the shipped text's real passages; median ms per generation after the warm-up ones.
 */
export function ngramMsPerGeneration(
  corpusFile: ArrayBuffer,
  { generations = 8, warmup = 2, budgetMs = 20_000 }: TimingOptions = {},
): { msPerGeneration: number; timedGenerations: number; fitMs: number; sampleMs: number } {
  const corpus = parseCorpus(corpusFile, PASSAGE);
  const V = corpus.vocab.length;
  const passages = Math.ceil(NGRAM_WORKLOAD.tokens / PASSAGE);
  const rng = createRng(3, 0, 1);
  let data = new Float64Array(passages * PASSAGE);
  for (let i = 0; i < passages; i++) {
    const s = corpus.sentenceStarts[rng.int(corpus.sentenceStarts.length)];
    for (let t = 0; t < PASSAGE; t++) data[i * PASSAGE + t] = corpus.train[s + t];
  }
  let next = new Float64Array(data.length);
  const scratch = samplerScratch(V);
  const synth = createRng(3, 0, 2);
  const times: number[] = [];
  const fits: number[] = [];
  const samples: number[] = [];
  const start = performance.now();
  for (let g = 0; g < warmup + generations; g++) {
    const t0 = performance.now();
    const model = fitNgram(data, passages, V, {
      order: NGRAM_WORKLOAD.order,
      smoothing: 'kn',
      k: 0,
    });
    const t1 = performance.now();
    samplePassages(model, passages, synth, { temperature: 1, topK: 0, topP: 1 }, next, scratch);
    const t2 = performance.now();
    [data, next] = [next, data];
    if (g >= warmup) {
      times.push(t2 - t0);
      fits.push(t1 - t0);
      samples.push(t2 - t1);
    }
    if (times.length > 0 && performance.now() - start > budgetMs) break;
  }
  return {
    msPerGeneration: median(times),
    timedGenerations: times.length,
    fitMs: median(fits),
    sampleMs: median(samples),
  };
}

/** One chain on the plain-TS engine: the figure scikit-learn's in-process time is set against. */
export async function gmmTsMsPerGeneration(generations = 200, warmup = 50): Promise<number> {
  const r = await gmmMsPerGeneration(createTsGmmFitter(), 1, {
    generations,
    warmup,
    budgetMs: 60_000,
  });
  return r.msPerGeneration;
}

/**
 * ms per generation of one mixture chain through the whole loop on the TS engine (fit, sample,
 * and the metrics the app shows each generation): what the loop adds to the fit and sample.
 */
export async function gmmLoopMsPerGeneration(generations = 100): Promise<number> {
  const { K, M, tol, maxIter, regCovar } = GMM_WORKLOAD;
  const parsed = parseRecipe({
    model: 'gmm',
    realDistribution: 'gaussian2d',
    samplesPerGeneration: M,
    components: K,
    tol,
    maxIter,
    regCovar,
    generations,
    replicates: 1,
    engine: 'ts',
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const recipe = parsed.recipe as GmmRecipe;
  const family = () => gmmFamily(recipe, { fitter: createTsGmmFitter() });
  for await (const _ of simulate({ ...recipe, generations: 10 }, family())) {
    // warm-up
  }
  const t0 = performance.now();
  for await (const _ of simulate(recipe, family())) {
    // drain
  }
  return (performance.now() - t0) / (generations + 1);
}

/** Chain counts of the crossover sweep: 1, 2, 4, … 256. */
export const SWEEP_CHAINS = powersOfTwo(256);

export interface SweepOptions extends TimingOptions {
  /** Stop the sweep once one generation takes longer than this: larger counts are slower. */
  stopAboveMs?: number;
}

/** ms per generation on `fitter` at each chain count, until one takes more than stopAboveMs. */
export async function sweepChains(
  fitter: GmmFitter,
  counts: readonly number[],
  { generations = 3, warmup = 1, budgetMs = 15_000, stopAboveMs = 20_000 }: SweepOptions = {},
): Promise<{ chains: number; ms: number }[]> {
  const out: { chains: number; ms: number }[] = [];
  for (const R of counts) {
    const { msPerGeneration } = await gmmMsPerGeneration(fitter, R, {
      generations,
      warmup,
      budgetMs,
    });
    out.push({ chains: R, ms: msPerGeneration });
    if (msPerGeneration > stopAboveMs) break;
  }
  return out;
}

/** Pairs a TS sweep with a batched one by chain count (NaN where one was not measured). */
export function pairSweeps(
  ts: readonly { chains: number; ms: number }[],
  batched: readonly { chains: number; ms: number }[],
): SweepPoint[] {
  const counts = [...new Set([...ts, ...batched].map((p) => p.chains))].sort((a, b) => a - b);
  const at = (list: readonly { chains: number; ms: number }[], c: number) =>
    list.find((p) => p.chains === c)?.ms ?? Number.NaN;
  return counts.map((c) => ({ chains: c, tsMs: at(ts, c), batchedMs: at(batched, c) }));
}

/**
 * ms per Adam step of the VAE_WORKLOAD on the active backend, as the app trains it (the lean
 * engine, one loss read per round of `steps` steps).
 */
export async function vaeMsPerStep(
  pixels: Float32Array,
  steps = 10,
  rounds = 8,
  budgetMs = 20_000,
): Promise<{ msPerStep: number; rounds: number }> {
  const { batchSize, hiddenSize, latentSize } = VAE_WORKLOAD;
  const n = Math.min(pixels.length / 784, batchSize * steps);
  const host = pixels.subarray(0, n * 784);
  const data = tf.tensor2d(host, [n, 784]);
  const vae = new Vae({ latentSize, hiddenSize, learningRate: 1e-3, seed: 1 });
  // The host copy, as the app passes it: cpu and wasm assemble batches from it.
  const opts = { epochs: 1, batchSize, progressEvery: steps, host };
  const stepsPerEpoch = Math.floor(n / batchSize);
  try {
    await vae.trainEpochs(data, opts); // warm-up: kernels, shaders
    const times: number[] = [];
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      await vae.trainEpochs(data, opts);
      times.push((performance.now() - t0) / stepsPerEpoch);
      if (performance.now() - start > budgetMs) break;
    }
    return { msPerStep: median(times), rounds: times.length };
  } finally {
    vae.dispose();
    data.dispose();
  }
}

/**
 * ms per Adam step (batch 256) of the default recipe's DDPM on the active backend, as the app
 * trains it: `steps` steps per round on 1,024 points of the ring of 8, after one warm-up round;
 * the median over rounds (stopping early past `budgetMs`).
 */
export async function diffusionMsPerStep(
  steps = 20,
  rounds = 6,
  budgetMs = 15_000,
): Promise<{ msPerStep: number; rounds: number; hiddenSize: number }> {
  const { hiddenSize, steps: T, learningRate } = DEFAULT_RECIPES.diffusion;
  const real = realDistribution('ring8');
  const unit = Math.sqrt(real.variance);
  const n = 4 * DIFFUSION_BATCH;
  const data = Float32Array.from(real.sample(n, createRng(1)), (v) => v / unit);
  const ddpm = new Ddpm({ steps: T, hiddenSize, learningRate, seed: 1 });
  const opts = { steps, batchSize: DIFFUSION_BATCH, progressEvery: steps };
  try {
    await ddpm.train(data, n, opts); // warm-up: kernels, shaders
    const times: number[] = [];
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      await ddpm.train(data, n, opts);
      times.push((performance.now() - t0) / steps);
      if (performance.now() - start > budgetMs) break;
    }
    return { msPerStep: median(times), rounds: times.length, hiddenSize };
  } finally {
    ddpm.dispose();
  }
}

/**
 * The transformer's data as the app reads it (tokeniser, shipped base, the real text re-encoded,
 * the held-out text), from the files' bytes fetched by `load` (fs in Node, fetch in a worker).
 */
export async function loadTransformerBench(
  load: (name: string) => Promise<ArrayBuffer>,
): Promise<TransformerData> {
  const [tokenizer, base, corpus, heldOut] = await Promise.all(
    [TOKENIZER_FILE, BASE_FILE, CORPUS_FILE, HELD_OUT_FILE].map(load),
  );
  return parseTransformerData({ tokenizer, base, corpus, heldOut });
}

/** The transformer's workloads: the default recipe's batch and M, passages of 64 tokens. */
export const TRANSFORMER_WORKLOAD = {
  batchSize: DEFAULT_RECIPES.transformer.batchSize,
  passages: DEFAULT_RECIPES.transformer.samplesPerGeneration,
  passageTokens: PASSAGE_TOKENS,
  promptTokens: PROMPT_TOKENS,
  newTokens: PASSAGE_TOKENS - PROMPT_TOKENS,
  /** The family's gradient clipping (engine/models/transformer/family.ts's CLIP_NORM). */
  clipNorm: 1,
} as const;

/** `n` real passages (or prompts) of `tokens` tokens each, from sentence starts of a fixed draw. */
function realWindows(data: TransformerData, n: number, tokens: number): number[][] {
  const rng = createRng(21, 0, 1);
  return Array.from({ length: n }, () => {
    const s = data.starts[rng.int(data.starts.length)];
    return Array.from(data.train.subarray(s, s + tokens));
  });
}

/**
 * ms per fine-tuning Adam step of the shipped base at the default batch (batchSize passages of
 * PASSAGE_TOKENS tokens: inputs PASSAGE_TOKENS − 1, targets shifted by one), as the family trains
 * it: a fresh upload of the base, gradient clipping, and the loss read back after each step (at
 * this size a step takes longer than the family's slice between reads, so it reads every step).
 * One warm-up step (kernels, shaders, Adam's moments), then the median of up to `steps` timed
 * steps, stopping once `budgetMs` has passed and `least` are timed.
 */
export async function transformerMsPerStep(
  data: TransformerData,
  { steps = 12, least = 2, budgetMs = 15_000 } = {},
): Promise<{ msPerStep: number; steps: number; batchSize: number }> {
  const { batchSize: B, passageTokens: P, clipNorm } = TRANSFORMER_WORKLOAD;
  const T = P - 1;
  // A few distinct batches, cycled: every step sees other passages, as in an epoch.
  const all = realWindows(data, 4 * B, P);
  const batches = Array.from({ length: 4 }, (_, k) => {
    const ids = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    all.slice(B * k, B * (k + 1)).forEach((q, r) => {
      for (let t = 0; t < T; t++) {
        ids[r * T + t] = q[t];
        targets[r * T + t] = q[t + 1];
      }
    });
    return { ids, targets };
  });
  const gpt = Gpt.fromValues(data.base.header, data.base.values);
  const step = async (k: number) => {
    const { ids, targets } = batches[k % batches.length];
    const loss = await gpt.trainStep(ids, targets, B, T, {
      learningRate: DEFAULT_RECIPES.transformer.learningRate,
      clipNorm,
      readLoss: true,
    });
    if (!Number.isFinite(loss)) throw new Error(`fine-tuning diverged (loss ${loss})`);
  };
  try {
    await step(0); // warm-up
    const times: number[] = [];
    const start = performance.now();
    for (let k = 1; k <= steps; k++) {
      const t0 = performance.now();
      await step(k);
      times.push(performance.now() - t0);
      if (times.length >= least && performance.now() - start > budgetMs) break;
    }
    return { msPerStep: median(times), steps: times.length, batchSize: B };
  } finally {
    gpt.dispose();
  }
}

/**
 * Sampled tokens per second of the shipped base with its KV cache at the default M: `passages`
 * real prompts of PROMPT_TOKENS tokens, each continued by PASSAGE_TOKENS − PROMPT_TOKENS tokens
 * at temperature 1 in one batched generate call (the prompts' prefill included), as the family
 * samples a generation's passages; one warm-up call, then the median over calls.
 */
export async function transformerTokensPerSecond(
  data: TransformerData,
  rounds = 5,
  budgetMs = 15_000,
): Promise<{ tokensPerSecond: number; msPerCall: number; tokens: number; rounds: number }> {
  const { passages, promptTokens, newTokens } = TRANSFORMER_WORKLOAD;
  const prompts = realWindows(data, passages, promptTokens);
  const gpt = Gpt.fromValues(data.base.header, data.base.values);
  let seed = 1;
  const call = () =>
    gpt.generate(prompts, { maxNewTokens: newTokens, temperature: 1, seed: seed++ });
  try {
    await call(); // warm-up
    const times: number[] = [];
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const out = await call();
      times.push(performance.now() - t0);
      if (out.length !== passages || out[0].length !== newTokens)
        throw new Error('generate returned the wrong shape');
      if (performance.now() - start > budgetMs) break;
    }
    const ms = median(times);
    const tokens = passages * newTokens;
    return { tokensPerSecond: (tokens / ms) * 1000, msPerCall: ms, tokens, rounds: times.length };
  } finally {
    gpt.dispose();
  }
}
