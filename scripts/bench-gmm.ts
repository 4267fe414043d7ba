// Bench: one generation of the GMM loop (EM fit of K = 2, d = 2 to M = 1000 points, tol 1e-3,
// then 1000 samples from the fit) on the plain-TS engine, and the same in scikit-learn when
// /usr/bin/python3 has it (scripts/bench-gmm-sklearn.py), printed as one JSON object.
//
//   npx tsx scripts/bench-gmm.ts [--generations 200] [--warmup 50] [--no-sklearn]
//
// The chain collapses as it runs (each generation is fitted to the previous one's samples), so
// the timings cover the whole range of EM iteration counts the app meets.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitGmm, GmmWorkspace, sampleGmm } from '../src/core/gmm';
import { createRng } from '../src/core/rng';

interface Args {
  generations: number;
  warmup: number;
  sklearn: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { generations: 200, warmup: 50, sklearn: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--generations') args.generations = Number(argv[++i]);
    else if (argv[i] === '--warmup') args.warmup = Number(argv[++i]);
    else if (argv[i] === '--no-sklearn') args.sklearn = false;
  }
  return args;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function benchTs(M: number, generations: number, warmup: number) {
  const K = 2;
  const d = 2;
  const tol = 1e-3;
  const data = new Float64Array(M * d);
  const real = createRng(1, 0, 1);
  for (let i = 0; i < M * d; i++) data[i] = real.normal();
  const ws = new GmmWorkspace();
  const synth = createRng(1, 0, 2);
  const init = createRng(1, 0, 11);
  const times: number[] = [];
  const iterations: number[] = [];
  for (let g = 0; g < warmup + generations; g++) {
    const t0 = performance.now();
    const fit = fitGmm(data, M, d, {
      components: K,
      tol,
      maxIter: 100,
      regCovar: 1e-6,
      rng: init,
      workspace: ws,
    });
    sampleGmm(fit.model, M, synth, 1, data);
    const t1 = performance.now();
    if (g >= warmup) {
      times.push(t1 - t0);
      iterations.push(fit.iterations);
    }
  }
  return {
    msPerGeneration: median(times),
    meanMsPerGeneration: times.reduce((a, b) => a + b, 0) / times.length,
    medianIterations: median(iterations),
    meanIterations: iterations.reduce((a, b) => a + b, 0) / iterations.length,
    msPerIteration: times.reduce((a, b) => a + b, 0) / iterations.reduce((a, b) => a + b, 0),
  };
}

function benchSklearn(M: number, generations: number, warmup: number): unknown {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'bench-gmm-sklearn.py');
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return { skipped: 'no /usr/bin/python3' };
  const r = spawnSync(
    python,
    [script, '--M', String(M), '--generations', String(generations), '--warmup', String(warmup)],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } },
  );
  if (r.status !== 0) return { skipped: (r.stderr || 'failed').trim().split('\n').pop() };
  return JSON.parse(r.stdout);
}

const args = parseArgs(process.argv.slice(2));
const M = 1000;
const ts = benchTs(M, args.generations, args.warmup);
const sk = args.sklearn
  ? benchSklearn(M, args.generations, args.warmup)
  : { skipped: '--no-sklearn' };
const skMs = (sk as { msPerGeneration?: number }).msPerGeneration;
console.log(
  JSON.stringify(
    {
      workload: {
        components: 2,
        dimensions: 2,
        samplesPerGeneration: M,
        tol: 1e-3,
        maxIter: 100,
        regCovar: 1e-6,
      },
      generations: args.generations,
      warmup: args.warmup,
      node: process.version,
      ts,
      sklearn: sk,
      ...(skMs !== undefined ? { speedupVsSklearn: skMs / ts.msPerGeneration } : {}),
    },
    null,
    2,
  ),
);
