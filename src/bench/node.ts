// The bench's Node side: the shared workloads run in this process (tfjs on wasm and cpu), the
// VAE's, the diffusion model's and the transformer's default runs through the CLI's
// runExperiment, and scikit-learn in its own process. Every measurement runs once, on first use,
// so figures that share one read it once.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
// Sets tfjs's PROD flag in Node, as for the CLI: no banner asking for tfjs-node.
import '../engine/backend/setup';
import { createTsGmmFitter } from '../core/models/gmm/fitter';
import { DEFAULT_RECIPES } from '../core/recipe';
import { createTfjsGmmFitter } from '../engine/models/gmm/fitters';
import { mnistToFloat, parseMnist } from '../engine/models/vae/mnist';
import { attempt, type Outcome, once, type SweepPoint } from './stats';
import {
  diffusionMsPerStep,
  gaussianDefaultMs,
  gmmLoopMsPerGeneration,
  gmmMsPerGeneration,
  gmmTsMsPerGeneration,
  loadTransformerBench,
  ngramMsPerGeneration,
  pairSweeps,
  SWEEP_CHAINS,
  sweepChains,
  transformerMsPerStep,
  transformerTokensPerSecond,
  vaeMsPerStep,
} from './workloads';

export const NODE_BACKENDS = ['wasm', 'cpu'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

export interface NodeBenchOptions {
  runs: number;
  log: (message: string) => void;
}

export function createNodeBench({ runs, log }: NodeBenchOptions) {
  const pixels = once(async () =>
    mnistToFloat(parseMnist(readFileSync('public/data/mnist-train.bin')), 0, 640),
  );
  /** The transformer's data, read and parsed once (the tokeniser, the base, the real text). */
  const transformerData = once(() =>
    loadTransformerBench(async (name) => {
      const b = readFileSync(`public/data/${name}`);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    }),
  );
  const switchTo = async (backend: NodeBackend) => {
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs ${backend} unavailable`);
    await tf.ready();
  };
  const perBackend = <T>(what: string, f: (b: NodeBackend) => Promise<T>) => {
    const cache = new Map<NodeBackend, Promise<Outcome<T>>>();
    return (backend: NodeBackend) => {
      let p = cache.get(backend);
      if (!p) {
        p = attempt(async () => {
          log(`Node: ${what} on tfjs ${backend}…`);
          await switchTo(backend);
          return f(backend);
        });
        cache.set(backend, p);
      }
      return p;
    };
  };
  const tsSweep = once(() => {
    log('Node: GMM chain sweep on the TS engine…');
    return sweepChains(createTsGmmFitter(), SWEEP_CHAINS);
  });

  return {
    gaussianDefaultMs: once(() => {
      log('Node: 1-D Gaussian, default scenario…');
      return gaussianDefaultMs(runs);
    }),
    ngram: once(async () => {
      log('Node: the language model, 100,000 tokens per generation…');
      const b = readFileSync('public/data/austen.bin');
      return ngramMsPerGeneration(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }),
    gmmTsMsPerGeneration: once(() => {
      log('Node: GMM on the TS engine…');
      return gmmTsMsPerGeneration();
    }),
    gmmLoopMsPerGeneration: once(() => {
      log('Node: one GMM chain through the loop (fit, sample, metrics)…');
      return gmmLoopMsPerGeneration();
    }),
    sklearn: once(async () => {
      log('Node: scikit-learn in its own process…');
      return sklearnMsPerGeneration();
    }),
    gmmBatched64: perBackend('batched GMM, 64 chains', () =>
      gmmMsPerGeneration(createTfjsGmmFitter(), 64, {
        generations: 5,
        warmup: 1,
        budgetMs: 15_000,
      }),
    ),
    vaeStep: perBackend('VAE steps', async () => vaeMsPerStep(await pixels(), 10, 6, 15_000)),
    crossover: perBackend('GMM chain sweep, batched', async (): Promise<SweepPoint[]> => {
      const batched = await sweepChains(createTfjsGmmFitter(), SWEEP_CHAINS);
      return pairSweeps(await tsSweep(), batched);
    }),
    diffusionStep: perBackend('DDPM steps', () => diffusionMsPerStep()),
    /** The diffusion model's default recipe, whole, through runExperiment. */
    diffusionDefaultRun: perBackend('the diffusion default run', async (backend) => {
      const { runExperiment } = await import('../cli/runExperiment');
      const out = await runExperiment(DEFAULT_RECIPES.diffusion, backend);
      return { ms: out.elapsedMs, backend: out.backend };
    }),
    transformerStep: perBackend('transformer fine-tuning steps', async () =>
      transformerMsPerStep(await transformerData()),
    ),
    transformerGeneration: perBackend('transformer sampling (KV cache)', async () =>
      transformerTokensPerSecond(await transformerData()),
    ),
    /** The transformer's default recipe, whole, through runExperiment. */
    transformerDefaultRun: perBackend('the transformer default run', async (backend) => {
      const { runExperiment } = await import('../cli/runExperiment');
      const out = await runExperiment(DEFAULT_RECIPES.transformer, backend);
      return { ms: out.elapsedMs, backend: out.backend };
    }),
    /** The VAE's default recipe, whole (every generation, every metric), through runExperiment. */
    vaeDefaultRun: perBackend('the VAE default run', async (backend) => {
      // Imported here: the VAE's modules load the shipped classifier and data only when asked.
      const { runExperiment } = await import('../cli/runExperiment');
      const out = await runExperiment(DEFAULT_RECIPES.vae, backend);
      return { ms: out.elapsedMs, backend: out.backend };
    }),
  };
}

export type NodeBench = ReturnType<typeof createNodeBench>;

export interface SklearnResult {
  msPerGeneration: number;
  sklearn: string;
}

/**
 * scikit-learn's GaussianMixture fit + sample per generation (scripts/bench-gmm-sklearn.py, one
 * BLAS thread), or why it was not measured: Debian's python3-sklearn is optional.
 */
export function sklearnMsPerGeneration(): SklearnResult | { skipped: string } {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return { skipped: 'no /usr/bin/python3' };
  const check = spawnSync(python, ['-c', 'import sklearn'], { encoding: 'utf8' });
  if (check.status !== 0)
    return { skipped: 'python3 has no sklearn (apt install python3-sklearn)' };
  const r = spawnSync(
    python,
    ['scripts/bench-gmm-sklearn.py', '--generations', '100', '--warmup', '20'],
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    },
  );
  if (r.status !== 0) return { skipped: `bench-gmm-sklearn.py failed: ${r.stderr.split('\n')[0]}` };
  return JSON.parse(r.stdout) as SklearnResult;
}
