// Every figure `npm run bench` reports, in one table: its name, unit, what it measures, where it
// runs and the function that measures it. Measurements are shared and run once, on first use
// (node.ts, models.ts, page.ts), so a figure costs nothing when another already read it, and a
// run limited to some figures (--only, --page) does only their work. Timings are reported,
// never asserted: these machines are shared and noisy.
import { DEFAULT_RECIPE, DEFAULT_RECIPES } from '../core/recipe';
import type { BackendName } from '../engine/backend/ladder';
import type { BackendWorkload } from './bench.worker';
import {
  BROWSER_BACKENDS,
  type ModelsBench,
  type Results,
  SWEEP_BACKENDS,
  TRANSFORMER_BACKENDS,
} from './models';
import { NODE_BACKENDS, type NodeBench } from './node';
import {
  DRAG_MS,
  MEMORY_HASH,
  MEMORY_LATE,
  PAGE_RUNS,
  type PageBench,
  TRAINING_HASH,
  TRANSFORMER_RUN,
} from './page';
import { crossover, describeCrossover, type Outcome, round, type SweepPoint } from './stats';

/** One value of a figure: per backend, or per pool size. */
export interface Reading {
  value: number;
  backend: string;
  /** Where it ran, when not the row's `where`. */
  where?: string;
  /** Cores of the machine it ran on (default: the row's environment). */
  cores?: number;
  /** Simulation workers the page used. */
  workers?: number;
  note?: string;
  /** Raw data behind the value, in the JSON report only. */
  detail?: unknown;
}

/** What measures: node (this process), models (bench.html), page (the app), runs (whole runs). */
export type FigureGroup = 'node' | 'models' | 'page' | 'runs';

export interface FigureRow {
  name: string;
  unit: string;
  /** What the figure measures, in a sentence. */
  what: string;
  where: string;
  group: FigureGroup;
  measure(bench: Bench): Promise<Reading[]>;
}

export interface Bench {
  node: NodeBench;
  models: ModelsBench;
  page: PageBench;
}

const TS = 'core (TS)';
const SOFTWARE = 'chromium (software)';
const SWIFTSHADER = 'chromium (SwiftShader GL)';
const GMM = 'K=2 d=2 M=1000 tol 1e-3';
const VAE = 'MLP 784-128-8, batch 64';
const TR = DEFAULT_RECIPES.transformer;
const TR_STEP = `batch ${TR.batchSize} × 63 tokens`;
const TR_SAMPLE = `${TR.samplesPerGeneration} passages × 48 new tokens after 16, temperature 1`;
const trGenerations = TR.generations + 1;
const chainGenerations = DEFAULT_RECIPE.replicates * (DEFAULT_RECIPE.generations + 1);

/** A reading from an outcome: NaN with the error as its note when the workload failed. */
function fromOutcome<T>(
  o: Outcome<T>,
  backend: string,
  value: (v: T) => number,
  more: (v: T) => Partial<Reading> = () => ({}),
): Reading {
  if (o.error !== undefined) return { value: Number.NaN, backend, note: o.error };
  const v = o.value as T;
  return { value: value(v), backend, ...more(v) };
}

/** One reading per tfjs backend of a workload in a worker of bench.html. */
async function perBrowserBackend<W extends BackendWorkload>(
  models: ModelsBench,
  workload: W,
  value: (v: Results[W]) => number,
  more?: (v: Results[W]) => Partial<Reading>,
  backends: readonly BackendName[] = BROWSER_BACKENDS,
): Promise<Reading[]> {
  const out: Reading[] = [];
  for (const b of backends)
    out.push(fromOutcome(await models.onBackend(b, workload), b, value, more));
  return out;
}

/** A crossover reading: the chain count, or NaN with "none up to …". */
function crossoverReading(o: Outcome<SweepPoint[]>, backend: string): Reading {
  return fromOutcome(
    o,
    backend,
    (points) => crossover(points) ?? Number.NaN,
    (points) => ({
      note: `${describeCrossover(points)}; ms/gen TS|batched: ${points
        .map((p) => `${p.chains}: ${round(p.tsMs)}|${round(p.batchedMs)}`)
        .join(', ')}`,
      detail: points,
    }),
  );
}

const runRows: FigureRow[] = PAGE_RUNS.flatMap((run): FigureRow[] => {
  const { target } = run;
  const whole: FigureRow = {
    name: `run.${run.key}.wholeMs`,
    unit: 'ms',
    what: `${run.label} in the app, from navigation to the run's end (the pool, and one worker with ?workers=1)`,
    where: SOFTWARE,
    group: 'runs',
    async measure({ page }) {
      const out: Reading[] = [];
      for (const workers of run.pooled ? (['pool', 1] as const) : (['pool'] as const)) {
        const r = await page.run(run.key, workers);
        out.push({
          value: round(r.wholeMs),
          backend: r.backend,
          workers: r.workers,
          note: `run ${round(r.runMs)} ms${workers === 1 ? ', ?workers=1' : `; ${target}`}`,
        });
      }
      return out;
    },
  };
  if (!run.pooled) return [whole];
  const speedup: FigureRow = {
    name: `run.${run.key}.poolSpeedup`,
    unit: '×',
    what: `one worker's whole-run time over the pool's, for ${run.label}`,
    where: SOFTWARE,
    group: 'runs',
    async measure({ page }) {
      const pool = await page.run(run.key, 'pool');
      const one = await page.run(run.key, 1);
      return [
        {
          value: round(one.wholeMs / pool.wholeMs, 2),
          backend: pool.backend,
          workers: pool.workers,
          note: `target ≈ ${pool.workers} (the pool's workers)`,
        },
      ];
    },
  };
  return [whole, speedup];
});

interface FirstCharts {
  drawnByBuild: boolean;
  firstChart: number;
  jsBeforeFirstChart: number;
  firstLiveChart: number;
  jsBeforeFirstLiveChart: number;
}

/**
 * A page's first-chart figures (medians of cold loads): navigation to the first chart on screen
 * and the JavaScript loaded before it (gzipped, each file once); then the same for the first chart
 * drawn from the tab's own run, where the build drew the first one into the page.
 */
function firstChartRows(
  prefix: string,
  what: string,
  loads: (page: PageBench) => Promise<FirstCharts>,
  target: { ms: number; kb: number },
  /** The page's first chart may be the build's: also report the first drawn by the tab. */
  prerendered = false,
): FigureRow[] {
  const row = (
    name: string,
    unit: string,
    description: string,
    value: (l: FirstCharts) => number,
    note: (l: FirstCharts) => string,
  ): FigureRow => ({
    name: `${prefix}.${name}`,
    unit,
    what: `${description}, median of ${what}`,
    where: 'chromium',
    group: 'page',
    measure: async ({ page }) => {
      const l = await loads(page);
      return [{ value: round(value(l)), backend: '-', note: note(l) }];
    },
  });
  const how = (l: FirstCharts) =>
    l.drawnByBuild ? 'drawn by the build, on screen at the first paint; ' : '';
  const onScreen = [
    row(
      'timeToFirstChartMs',
      'ms',
      'navigation to the first chart on screen',
      (l) => l.firstChart,
      (l) => `${how(l)}target ≤ ${target.ms}`,
    ),
    row(
      'jsBeforeFirstChartGzipKB',
      'KB',
      'JavaScript loaded before the first chart on screen, gzipped',
      (l) => l.jsBeforeFirstChart / 1024,
      (l) =>
        `${l.drawnByBuild ? 'drawn by the build: it needs none, this much had arrived by the first paint; ' : ''}target ≤ ${target.kb}`,
    ),
  ];
  if (!prerendered) return onScreen;
  return [
    ...onScreen,
    row(
      'timeToFirstLiveChartMs',
      'ms',
      "navigation to the first chart drawn from the tab's own run",
      (l) => l.firstLiveChart,
      () => 'the simulation worker, React and the chart code loaded',
    ),
    row(
      'jsBeforeFirstLiveChartGzipKB',
      'KB',
      "JavaScript loaded before the first chart drawn from the tab's own run, gzipped",
      (l) => l.jsBeforeFirstLiveChart / 1024,
      () => 'the worker included',
    ),
  ];
}

/** Issue 11's speed aims: comparisons and the phase diagram. */
const mitigationRows: FigureRow[] = [
  {
    name: 'comparison.gaussian4.overOneRun',
    unit: '×',
    what: "a 4-variant comparison of the Gaussian default over one run of it, whole time in the app (the runs' own time in the note)",
    where: SOFTWARE,
    group: 'runs',
    async measure({ page }) {
      const four = await page.run('gaussianCompare4', 'pool');
      const one = await page.run('gaussianDefault', 'pool');
      return [
        {
          value: round(four.wholeMs / one.wholeMs, 2),
          backend: TS,
          workers: four.workers,
          note: `target ≤ 2; whole ${round(four.wholeMs)} vs ${round(one.wholeMs)} ms; runs ${round(four.runMs)} vs ${round(one.runMs)} ms (${round(four.runMs / one.runMs, 2)}×)`,
        },
      ];
    },
  },
  {
    name: 'phase.gaussian20x20Ms',
    unit: 'ms',
    what: 'the lab’s phase diagram of the Gaussian, 20 × 20 cells × 100 chains, M = 100, 200 generations, from Compute to the last cell',
    where: SOFTWARE,
    group: 'runs',
    async measure({ page }) {
      const p = await page.phase();
      return [
        {
          value: round(p.elapsedMs),
          backend: TS,
          workers: p.workers,
          note: `target ≤ 10000; ${p.cells} cells from ${p.runs} runs, ${p.status}`,
        },
      ];
    },
  },
];

export const FIGURES: FigureRow[] = [
  ...mitigationRows,
  // ---- the 1-D Gaussian ------------------------------------------------------------------------
  {
    name: 'gaussian1d.defaultScenarioMs',
    unit: 'ms',
    what: 'the default Gaussian scenario, every chain and generation, through the loop in this thread',
    where: 'node',
    group: 'node',
    measure: async ({ node }) => [
      { value: round(await node.gaussianDefaultMs()), backend: TS, note: 'target < 1000' },
    ],
  },
  {
    name: 'gaussian1d.defaultScenarioMs',
    unit: 'ms',
    what: "the default Gaussian run in the app as its workers time it (the run's elapsedMs), median of cold loads",
    where: 'chromium worker',
    group: 'page',
    async measure({ page }) {
      const l = await page.loads();
      return [{ value: round(l.runMs), backend: TS, workers: l.workers, note: 'target < 1000' }];
    },
  },
  {
    name: 'gaussian1d.defaultScenarioComputeMs',
    unit: 'ms',
    what: "the workers' compute time in the default Gaussian run (summed over the pool)",
    where: 'chromium worker',
    group: 'page',
    async measure({ page }) {
      const l = await page.loads();
      return [{ value: round(l.computeMs), backend: TS, workers: l.workers, note: 'loop only' }];
    },
  },
  {
    name: 'gaussian1d.replicateGenerationsPerSecond',
    unit: '/s',
    what: 'chain-generations per second in the default Gaussian scenario',
    where: 'node',
    group: 'node',
    measure: async ({ node }) => [
      {
        value: Math.round(chainGenerations / ((await node.gaussianDefaultMs()) / 1000)),
        backend: TS,
      },
    ],
  },
  {
    name: 'gaussian1d.replicateGenerationsPerSecond',
    unit: '/s',
    what: 'chain-generations per second in the default Gaussian run in the app',
    where: 'chromium worker',
    group: 'page',
    async measure({ page }) {
      const l = await page.loads();
      return [
        {
          value: Math.round(chainGenerations / (l.runMs / 1000)),
          backend: TS,
          workers: l.workers,
        },
      ];
    },
  },
  // ---- Gaussian mixtures -----------------------------------------------------------------------
  {
    name: 'gmm.msPerGeneration',
    unit: 'ms',
    what: `one chain's EM fit and M samples per generation on the plain-TS fitter (${GMM}), median`,
    where: 'node',
    group: 'node',
    measure: async ({ node }) => [
      {
        value: round(await node.gmmTsMsPerGeneration(), 2),
        backend: 'ts',
        note: `${GMM}, target ≤ 1.2`,
      },
    ],
  },
  {
    name: 'gmm.msPerGeneration',
    unit: 'ms',
    what: `the same on the plain-TS fitter in a worker of bench.html`,
    where: 'chromium',
    group: 'models',
    measure: async ({ models }) => [{ value: round(await models.gmmTs(), 2), backend: 'ts' }],
  },
  {
    name: 'gmm.msPerGeneration',
    unit: 'ms',
    what: "the same on scikit-learn's GaussianMixture, in its own process (one BLAS thread)",
    where: 'python',
    group: 'node',
    async measure({ node }) {
      const r = await node.sklearn();
      if ('skipped' in r)
        return [{ value: Number.NaN, backend: 'scikit-learn', note: `skipped: ${r.skipped}` }];
      return [
        {
          value: round(r.msPerGeneration, 2),
          backend: 'scikit-learn',
          note: `scikit-learn ${r.sklearn}`,
        },
      ];
    },
  },
  {
    name: 'gmm.speedupTsOverSklearn',
    unit: '×',
    what: "scikit-learn's ms per generation over the TS fitter's, both in-process",
    where: 'ratio',
    group: 'node',
    async measure({ node }) {
      const r = await node.sklearn();
      if ('skipped' in r)
        return [{ value: Number.NaN, backend: 'ts', note: `skipped: ${r.skipped}` }];
      return [
        {
          value: round(r.msPerGeneration / (await node.gmmTsMsPerGeneration()), 1),
          backend: 'ts',
          note: 'target ≥ 5',
        },
      ];
    },
  },
  {
    name: 'gmm.loopMsPerGeneration',
    unit: 'ms',
    what: 'one mixture chain through the whole loop on the TS engine: fit, sample, and the metrics the app shows',
    where: 'node',
    group: 'node',
    measure: async ({ node }) => [
      { value: round(await node.gmmLoopMsPerGeneration(), 2), backend: 'ts', note: GMM },
    ],
  },
  {
    name: 'gmm.batched64.msPerGeneration',
    unit: 'ms',
    what: `64 chains fitted at once by the batched tfjs EM, and sampled, per generation (${GMM})`,
    where: 'node',
    group: 'node',
    async measure({ node }) {
      const out: Reading[] = [];
      for (const b of NODE_BACKENDS) {
        out.push(fromOutcome(await node.gmmBatched64(b), b, (v) => round(v.msPerGeneration)));
      }
      return out;
    },
  },
  {
    name: 'gmm.batched64.msPerGeneration',
    unit: 'ms',
    what: 'the same in a worker of bench.html, per tfjs backend',
    where: 'chromium',
    group: 'models',
    measure: ({ models }) =>
      perBrowserBackend(models, 'gmmBatched', (v) => round(v.msPerGeneration)),
  },
  {
    name: 'gmm.batched64.generationsPerSecondEachChain',
    unit: '/s',
    what: 'generations per second each of the 64 batched chains advances',
    where: 'node',
    group: 'node',
    async measure({ node }) {
      const out: Reading[] = [];
      for (const b of NODE_BACKENDS) {
        out.push(
          fromOutcome(
            await node.gmmBatched64(b),
            b,
            (v) => round(1000 / v.msPerGeneration, 1),
            () => ({
              note: 'target ≥ 10',
            }),
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'gmm.batched64.generationsPerSecondEachChain',
    unit: '/s',
    what: 'the same in a worker of bench.html, per tfjs backend',
    where: 'chromium',
    group: 'models',
    measure: ({ models }) =>
      perBrowserBackend(
        models,
        'gmmBatched',
        (v) => round(1000 / v.msPerGeneration, 1),
        () => ({ note: 'target ≥ 10' }),
      ),
  },
  {
    name: 'gmm.crossoverChains',
    unit: 'chains',
    what: `the fewest chains R (1, 2, 4, … 256) from which the batched engine is faster per generation than the TS engine, and stays faster (${GMM}, 3 generations each)`,
    where: 'node',
    group: 'node',
    async measure({ node }) {
      const out: Reading[] = [];
      for (const b of NODE_BACKENDS) out.push(crossoverReading(await node.crossover(b), b));
      return out;
    },
  },
  {
    name: 'gmm.crossoverChains',
    unit: 'chains',
    what: 'the same in workers of bench.html',
    where: 'chromium',
    group: 'models',
    async measure({ models }) {
      const out: Reading[] = [];
      for (const b of SWEEP_BACKENDS) out.push(crossoverReading(await models.crossover(b), b));
      return out;
    },
  },
  // ---- the VAE ---------------------------------------------------------------------------------
  {
    name: 'vae.msPerStep',
    unit: 'ms',
    what: `one Adam step of the VAE (${VAE}) on the lean engine, median over rounds`,
    where: 'node',
    group: 'node',
    async measure({ node }) {
      const out: Reading[] = [];
      for (const b of NODE_BACKENDS) {
        out.push(
          fromOutcome(
            await node.vaeStep(b),
            b,
            (v) => round(v.msPerStep),
            () => ({
              note: `${VAE}; PyTorch CPU 2.2 ms`,
            }),
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'vae.msPerStep',
    unit: 'ms',
    what: 'the same in a worker of bench.html, per tfjs backend',
    where: 'chromium',
    group: 'models',
    measure: ({ models }) => perBrowserBackend(models, 'vaeStep', (v) => round(v.msPerStep)),
  },
  {
    name: 'vae.defaultRunMs',
    unit: 'ms',
    what: "the VAE's default recipe, whole (every generation and metric), through the CLI's runExperiment",
    where: 'node',
    group: 'node',
    measure: async ({ node }) => [
      fromOutcome(await node.vaeDefaultRun('wasm'), 'wasm', (v) => round(v.ms)),
    ],
  },
  // ---- the language model ----------------------------------------------------------------------
  {
    name: 'ngram.msPerGeneration',
    unit: 'ms',
    what: 'fitting an order-3 Kneser–Ney model to 100,000 tokens and sampling 100,000 from it, per generation, median',
    where: 'node',
    group: 'node',
    async measure({ node }) {
      const r = await node.ngram();
      return [
        {
          value: round(r.msPerGeneration, 1),
          backend: 'ts',
          note: `fit ${round(r.fitMs, 1)} ms + sample ${round(r.sampleMs, 1)} ms`,
          detail: r,
        },
      ];
    },
  },
  {
    name: 'ngram.msPerGeneration',
    unit: 'ms',
    what: 'the same in a worker of bench.html',
    where: 'chromium',
    group: 'models',
    async measure({ models }) {
      const r = await models.ngram();
      return [
        {
          value: round(r.msPerGeneration, 1),
          backend: 'ts',
          note: `fit ${round(r.fitMs, 1)} ms + sample ${round(r.sampleMs, 1)} ms; target ≤ 150`,
          detail: r,
        },
      ];
    },
  },
  // ---- the diffusion model -------------------------------------------------------------------
  {
    name: 'diffusion.msPerStep',
    unit: 'ms',
    what: `one Adam step (batch 256) of the default DDPM (3 hidden layers of ${DEFAULT_RECIPES.diffusion.hiddenSize}), median over rounds`,
    where: 'node',
    group: 'node',
    async measure({ node }) {
      const out: Reading[] = [];
      for (const b of NODE_BACKENDS) {
        out.push(fromOutcome(await node.diffusionStep(b), b, (v) => round(v.msPerStep)));
      }
      return out;
    },
  },
  {
    name: 'diffusion.msPerStep',
    unit: 'ms',
    what: 'the same in a worker of bench.html, per tfjs backend',
    where: 'chromium',
    group: 'models',
    measure: ({ models }) => perBrowserBackend(models, 'diffusionStep', (v) => round(v.msPerStep)),
  },
  {
    name: 'diffusion.msPerGeneration',
    unit: 'ms',
    what: "the diffusion default recipe's whole run (training, sampling, metrics) per generation, through runExperiment",
    where: 'node',
    group: 'node',
    measure: async ({ node }) => [
      fromOutcome(
        await node.diffusionDefaultRun('wasm'),
        'wasm',
        (v) => round(v.ms / (DEFAULT_RECIPES.diffusion.generations + 1)),
        (v) => ({ note: `whole run ${round(v.ms)} ms` }),
      ),
    ],
  },
  {
    name: 'diffusion.msPerGeneration',
    unit: 'ms',
    what: "the same in the app on WebAssembly (?backend=wasm), the run's own time per generation",
    where: SOFTWARE,
    group: 'runs',
    async measure({ page }) {
      const r = await page.run('diffusionDefault', 'pool');
      const gens = DEFAULT_RECIPES.diffusion.generations + 1;
      return [
        {
          value: round(r.runMs / gens),
          backend: r.backend,
          note: `run ${round(r.runMs)} ms for generations 0–${gens - 1}; target: run < 30000 ms`,
        },
      ];
    },
  },
  // ---- the transformer ------------------------------------------------------------------------
  {
    name: 'transformer.msPerStep',
    unit: 'ms',
    what: `one fine-tuning Adam step of the shipped base GPT at the default batch (${TR_STEP}, clipped, loss read each step), median over steps`,
    where: 'node',
    group: 'node',
    async measure({ node }) {
      const out: Reading[] = [];
      for (const b of NODE_BACKENDS) {
        out.push(
          fromOutcome(
            await node.transformerStep(b),
            b,
            (v) => round(v.msPerStep),
            (v) => ({ note: `${TR_STEP}; ${v.steps} steps timed` }),
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'transformer.msPerStep',
    unit: 'ms',
    what: 'the same in a worker of bench.html, per tfjs backend',
    where: 'chromium',
    group: 'models',
    measure: ({ models }) =>
      perBrowserBackend(
        models,
        'transformerStep',
        (v) => round(v.msPerStep),
        (v) => ({ note: `${v.steps} steps timed` }),
        TRANSFORMER_BACKENDS,
      ),
  },
  {
    name: 'transformer.tokensPerSecond',
    unit: '/s',
    what: `tokens sampled per second by the shipped base with its KV cache, one batched call of the default M (${TR_SAMPLE}; the prompts' prefill included), median over calls`,
    where: 'node',
    group: 'node',
    async measure({ node }) {
      const out: Reading[] = [];
      for (const b of NODE_BACKENDS) {
        out.push(
          fromOutcome(
            await node.transformerGeneration(b),
            b,
            (v) => Math.round(v.tokensPerSecond),
            (v) => ({ note: `${v.tokens} tokens in ${round(v.msPerCall)} ms per call` }),
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'transformer.tokensPerSecond',
    unit: '/s',
    what: 'the same in a worker of bench.html, per tfjs backend',
    where: 'chromium',
    group: 'models',
    measure: ({ models }) =>
      perBrowserBackend(
        models,
        'transformerGeneration',
        (v) => Math.round(v.tokensPerSecond),
        (v) => ({ note: `${v.tokens} tokens in ${round(v.msPerCall)} ms per call` }),
        TRANSFORMER_BACKENDS,
      ),
  },
  {
    name: 'transformer.msPerGeneration',
    unit: 'ms',
    what: "the transformer default recipe's whole run (fine-tuning, sampling, metrics; both chains) per generation, through runExperiment",
    where: 'node',
    group: 'node',
    measure: async ({ node }) => [
      fromOutcome(
        await node.transformerDefaultRun('wasm'),
        'wasm',
        (v) => round(v.ms / trGenerations),
        (v) => ({ note: `whole run ${round(v.ms)} ms for generations 0–${trGenerations - 1}` }),
      ),
    ],
  },
  {
    name: 'transformer.msPerGeneration',
    unit: 'ms',
    what: `the same in the app on WebAssembly (?${TRANSFORMER_RUN.search}), the run's own time per generation`,
    where: SOFTWARE,
    group: 'runs',
    async measure({ page }) {
      const r = await page.transformerRun();
      return [
        {
          value: round(r.runMs / trGenerations),
          backend: r.backend,
          workers: r.workers,
          note: `run ${round(r.runMs)} ms for generations 0–${trGenerations - 1}`,
        },
      ];
    },
  },
  {
    name: 'transformer.run.wholeMs',
    unit: 'ms',
    what: `the transformer default run in the app on WebAssembly (#${TRANSFORMER_RUN.hash}&${TRANSFORMER_RUN.search}), from navigation to the run's end`,
    where: SOFTWARE,
    group: 'runs',
    async measure({ page }) {
      const r = await page.transformerRun();
      return [
        {
          value: round(r.wholeMs),
          backend: r.backend,
          workers: r.workers,
          note: `run ${round(r.runMs)} ms`,
        },
      ];
    },
  },
  {
    name: 'transformer.run.firstTextMs',
    unit: 'ms',
    what: "navigation to the first generation's text on screen (generation 0's passage) in that run",
    where: SOFTWARE,
    group: 'runs',
    async measure({ page }) {
      const r = await page.transformerRun();
      const at = (ms: number | null) => (ms === null ? 'not seen' : `${round(ms)} ms`);
      const fromStart =
        r.progressMs === null
          ? ''
          : `; ${round(r.firstTextMs - r.progressMs)} ms after the run's progress first showed`;
      return [
        {
          value: round(r.firstTextMs),
          backend: r.backend,
          workers: r.workers,
          note: `target ≤ 10000 from play${fromStart}; progress on screen ${at(r.progressMs)}, training ${at(r.trainingMs)}`,
          detail: r,
        },
      ];
    },
  },
  // ---- the page --------------------------------------------------------------------------------
  ...firstChartRows('page', 'cold loads of the lab (default experiment)', (page) => page.loads(), {
    ms: 1000,
    kb: 150,
  }),
  ...firstChartRows(
    'page.story',
    "cold loads of the bare address: the story's opening figure",
    (page) => page.storyLoads(),
    { ms: 500, kb: 100 },
    true,
  ),
  // The same story over a slow mobile connection: where the JavaScript's size tells.
  ...firstChartRows(
    'page.story.slowNetwork',
    'cold loads of the bare address over a slow mobile connection (150 ms, 1.6 Mbit/s)',
    (page) => page.storySlowLoads(),
    { ms: 500, kb: 100 },
    true,
  ),
  ...firstChartRows(
    'page.embed',
    'cold loads of embed.html: one figure, the Gaussian density',
    (page) => page.embedLoads(),
    { ms: 500, kb: 100 },
  ),
  {
    name: 'page.jsTotalGzipKB',
    unit: 'KB',
    what: 'all JavaScript of the build, gzipped',
    where: 'dist',
    group: 'page',
    measure: async ({ page }) => [
      { value: round((await page.loads()).jsTotal / 1024), backend: '-' },
    ],
  },
  {
    name: 'page.vaeTraining.longestTaskMs',
    unit: 'ms',
    what: 'the longest main-thread task while a small VAE trains (a trace, and long tasks observed)',
    where: SOFTWARE,
    group: 'page',
    async measure({ page }) {
      const t = await page.vaeTraining();
      return [
        {
          value: round(t.longestMs),
          backend: t.backend,
          note: `target ≤ 50; main thread over ${round(t.trainingMs / 1000)} s of training (${TRAINING_HASH.replace(/&/g, ' ')})${t.traced ? '' : '; long tasks only, no trace'}`,
        },
      ];
    },
  },
  {
    name: 'page.vaeTraining.tasksOver50ms',
    unit: '',
    what: 'main-thread tasks over 50 ms while the VAE trains (PerformanceObserver longtask)',
    where: SOFTWARE,
    group: 'page',
    async measure({ page }) {
      const t = await page.vaeTraining();
      return [{ value: t.over50, backend: t.backend, note: 'target 0' }];
    },
  },
  ...(['software', 'swiftshader'] as const).flatMap((kind): FigureRow[] => {
    const where = kind === 'software' ? SOFTWARE : SWIFTSHADER;
    const note =
      kind === 'software'
        ? 'target ≥ 50'
        : 'the tests’ flags: every frame rasterised in emulated GL';
    return [
      {
        name: 'page.sliderDragFps',
        unit: 'fps',
        what: `frames per second while the mouse drags the synthetic-share slider for ${DRAG_MS / 1000} s (every value a new run)`,
        where,
        group: 'page',
        async measure({ page }) {
          const d = await page.drag(kind);
          return [
            {
              value: round(d.fps),
              backend: TS,
              note: `${note}; ${d.inputs} values (a new run each), ${d.moves} mouse moves`,
            },
          ];
        },
      },
      {
        name: 'page.sliderDragLongestFrameMs',
        unit: 'ms',
        what: 'the longest gap between frames during that drag',
        where,
        group: 'page',
        measure: async ({ page }) => [
          { value: round((await page.drag(kind)).longestFrameMs), backend: TS },
        ],
      },
    ];
  }),
  ...(['gen1', `gen${MEMORY_LATE}`] as const).flatMap((label): FigureRow[] => {
    const pick = async (page: PageBench) => {
      const m = await page.vaeMemory();
      return { m, r: label === 'gen1' ? m.early : m.late };
    };
    const at = (generation: number) => `heaps read after a forced GC at generation ${generation}`;
    return [
      {
        name: `vae.tfNumTensors.${label}`,
        unit: '',
        what: `tfjs tensors in the worker after VAE generation ${label.slice(3)} (${MEMORY_HASH.replace(/&/g, ' ')}, ?backend=wasm)`,
        where: 'chromium worker',
        group: 'page',
        async measure({ page }) {
          const { m, r } = await pick(page);
          const same =
            m.late.numTensors === m.early.numTensors && m.late.numBytes === m.early.numBytes;
          return [
            {
              value: r.numTensors,
              backend: m.backend,
              note:
                label === 'gen1'
                  ? `${MEMORY_HASH.replace(/&/g, ' ')}, ?backend=wasm`
                  : same
                    ? 'same as gen1: no leak'
                    : `gen1 had ${m.early.numTensors} (${round(m.early.numBytes / 1024)} KB): a leak`,
            },
          ];
        },
      },
      {
        name: `vae.tfMemoryKB.${label}`,
        unit: 'KB',
        what: `tfjs memory in the worker after VAE generation ${label.slice(3)}`,
        where: 'chromium worker',
        group: 'page',
        async measure({ page }) {
          const { m, r } = await pick(page);
          return [{ value: round(r.numBytes / 1024), backend: m.backend }];
        },
      },
      {
        name: `vae.jsHeapMB.${label}`,
        unit: 'MB',
        what: `the page's and the worker's JS heaps after VAE generation ${label.slice(3)} (forced GC first)`,
        where: 'chromium',
        group: 'page',
        async measure({ page }) {
          const { m, r } = await pick(page);
          return [
            {
              value: round(r.pageHeap / 2 ** 20, 2),
              backend: m.backend,
              where: 'chromium page',
              note: at(r.generation),
            },
            {
              value: r.workerHeap === null ? Number.NaN : round(r.workerHeap / 2 ** 20, 2),
              backend: m.backend,
              where: 'chromium worker',
              note: r.workerHeap === null ? 'could not be read' : at(r.generation),
            },
          ];
        },
      },
    ];
  }),
  // ---- whole runs in the app, the pool against one worker -------------------------------------
  ...runRows,
];

/** Rows chosen by --only (comma-separated name prefixes or groups) and --page (page figures). */
export function selectFigures(
  rows: readonly FigureRow[],
  { only, page }: { only?: string; page?: boolean },
): FigureRow[] {
  const wanted = only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return rows.filter((r) => {
    if (page && r.group !== 'page') return false;
    if (!wanted) return true;
    return wanted.some((w) => w === r.group || r.name.startsWith(w));
  });
}
