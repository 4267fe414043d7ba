// `npm run bench [-- --json]`: measures, side by side in one run, every model's workload in Node
// and in the production build in headless Chromium (Debian's; WebGPU through SwiftShader where no
// real GPU exists), plus the page's load figures. Timings are reported, never asserted: these
// machines are shared and noisy. Each figure names where it ran, the backend and the core count.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { Browser } from 'playwright-core';
import { build, preview } from 'vite';
import { benchGmmBatched, benchGmmTs, benchVaeStep, median } from '../bench/workloads';
import { simulateGaussian1d } from '../core/loop';
import { DEFAULT_RECIPE } from '../core/recipe';
import { mnistToFloat, parseMnist } from '../engine/mnist';
import { launchChromium } from './chromium';

interface Figure {
  name: string;
  value: number;
  unit: string;
  where: string;
  backend: string;
  cores: number;
  note?: string;
}

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean' },
    runs: { type: 'string', default: '3' },
    'no-build': { type: 'boolean' },
  },
});
const RUNS = Math.max(1, Number(args.runs) || 3);
const log = (m: string) => {
  if (!args.json) process.stderr.write(`${m}\n`);
};
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
const CORES = cpus().length;
const figures: Figure[] = [];
const add = (f: Omit<Figure, 'cores'> & { cores?: number }) => figures.push({ cores: CORES, ...f });
const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

// ---- Node -------------------------------------------------------------------------------------

function benchGaussianNode(): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    for (const _ of simulateGaussian1d(DEFAULT_RECIPE)) {
      // drain
    }
    if (i > 0) times.push(performance.now() - t0); // the first run warms the JIT
  }
  return median(times);
}

function benchSklearn(): number | null {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return null;
  const r = spawnSync(
    python,
    ['scripts/bench-gmm-sklearn.py', '--generations', '100', '--warmup', '20'],
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    },
  );
  if (r.status !== 0) return null;
  return (JSON.parse(r.stdout) as { msPerGeneration: number }).msPerGeneration;
}

async function benchNode() {
  log('Node: 1-D Gaussian, default scenario…');
  const gaussianMs = benchGaussianNode();
  log('Node: GMM on the TS engine, and scikit-learn if Debian’s python3-sklearn is installed…');
  const gmmTs = benchGmmTs();
  const sklearnMs = benchSklearn();
  const pixels = mnistToFloat(parseMnist(readFileSync('public/data/mnist-train.bin')), 0, 640);
  const perBackend: Record<
    string,
    {
      gmm: Awaited<ReturnType<typeof benchGmmBatched>>;
      vae: Awaited<ReturnType<typeof benchVaeStep>>;
    }
  > = {};
  for (const backend of ['wasm', 'cpu']) {
    log(`Node: batched GMM and VAE steps on tfjs ${backend}…`);
    await tf.setBackend(backend);
    perBackend[backend] = {
      gmm: await benchGmmBatched(64, 5, 1, 15_000),
      vae: await benchVaeStep(pixels, 10, 6, 15_000),
    };
  }
  return { gaussianMs, gmmTs, sklearnMs, perBackend };
}

// ---- Browser ----------------------------------------------------------------------------------

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

async function pageLoads(browser: Browser, base: string) {
  const loads: { firstChart: number; runMs: number; computeMs: number; scripts: string[] }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(); // a cold cache each time
    const page = await context.newPage();
    await page.goto(base);
    await page.waitForFunction(() => performance.getEntriesByName('run-done').length > 0, null, {
      timeout: 60_000,
    });
    loads.push(
      await page.evaluate(() => {
        const firstChart = performance.getEntriesByName('first-chart')[0].startTime;
        const done = (performance.getEntriesByName('run-done')[0] as PerformanceMark).detail as {
          elapsedMs: number;
          computeMs: number;
        };
        const scripts = performance
          .getEntriesByType('resource')
          .filter(
            (e) =>
              e.name.endsWith('.js') && (e as PerformanceResourceTiming).responseEnd <= firstChart,
          )
          .map((e) => new URL(e.name).pathname);
        return { firstChart, runMs: done.elapsedMs, computeMs: done.computeMs, scripts };
      }),
    );
    await context.close();
  }
  const gz = (file: string) => gzipSync(readFileSync(file)).length;
  const first = new Set(loads[0].scripts.map((p) => p.split('/').pop()));
  const js = filesUnder('dist').filter((f) => f.endsWith('.js'));
  return {
    firstChart: median(loads.map((l) => l.firstChart)),
    runMs: median(loads.map((l) => l.runMs)),
    computeMs: median(loads.map((l) => l.computeMs)),
    jsBeforeFirstChart: js
      .filter((f) => first.has(f.split('/').pop()))
      .reduce((a, f) => a + gz(f), 0),
    jsTotal: js.reduce((a, f) => a + gz(f), 0),
  };
}

type BenchResult = {
  msPerGeneration?: number;
  generationsPerSecondEachChain?: number;
  msPerStep?: number;
  error?: string;
};

async function benchPage(browser: Browser, base: string) {
  // A fresh page per backend, so one backend's state never colours another's figures.
  const open = async () => {
    const page = await browser.newPage();
    await page.goto(`${base}bench.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    return page;
  };
  const page = await open();
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const adapter = await page.evaluate(() =>
    (window as never as { collapseBench: { adapter(): Promise<string> } }).collapseBench.adapter(),
  );
  const gmmTs = await page.evaluate(() =>
    (
      window as never as { collapseBench: { gmmTs(): { msPerGeneration: number } } }
    ).collapseBench.gmmTs(),
  );
  await page.close();
  const results: Record<string, { gmm: BenchResult; vae: BenchResult }> = {};
  for (const backend of BROWSER_BACKENDS) {
    log(`Chromium: batched GMM and VAE steps on ${backend}…`);
    const run = async (workload: 'gmmBatched' | 'vaeStep') => {
      const p = await open();
      try {
        return (await p.evaluate(
          ([b, w]) =>
            (
              window as never as {
                collapseBench: { onBackend(b: string, w: string): Promise<unknown> };
              }
            ).collapseBench.onBackend(b, w),
          [backend, workload] as const,
        )) as BenchResult;
      } catch (e) {
        return { error: String(e).split('\n')[0] };
      } finally {
        await p.close();
      }
    };
    results[backend] = { gmm: await run('gmmBatched'), vae: await run('vaeStep') };
  }
  return { cores, adapter, gmmTs, results };
}

async function benchBrowser() {
  if (!args['no-build']) {
    log('building the app…');
    await build({ logLevel: 'error' });
  }
  const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'error' });
  const base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/`;
  const browser = await launchChromium();
  try {
    log('Chromium: the app, cold loads…');
    const load = await pageLoads(browser, base);
    const bench = await benchPage(browser, base);
    return { load, ...bench };
  } finally {
    await browser.close();
    await server.close();
  }
}

// ---- Report -----------------------------------------------------------------------------------

async function main() {
  const node = await benchNode();
  const web = await benchBrowser();
  const chainGenerations = DEFAULT_RECIPE.replicates * (DEFAULT_RECIPE.generations + 1);
  const wc = web.cores;

  add({
    name: 'gaussian1d.defaultScenarioMs',
    value: round(node.gaussianMs),
    unit: 'ms',
    where: 'node',
    backend: 'core (TS)',
  });
  add({
    name: 'gaussian1d.defaultScenarioMs',
    value: round(web.load.runMs),
    unit: 'ms',
    where: 'chromium worker',
    backend: 'core (TS)',
    cores: wc,
    note: 'target < 1000',
  });
  add({
    name: 'gaussian1d.defaultScenarioComputeMs',
    value: round(web.load.computeMs),
    unit: 'ms',
    where: 'chromium worker',
    backend: 'core (TS)',
    cores: wc,
    note: 'loop only',
  });
  add({
    name: 'gaussian1d.replicateGenerationsPerSecond',
    value: Math.round(chainGenerations / (node.gaussianMs / 1000)),
    unit: '/s',
    where: 'node',
    backend: 'core (TS)',
  });
  add({
    name: 'gaussian1d.replicateGenerationsPerSecond',
    value: Math.round(chainGenerations / (web.load.runMs / 1000)),
    unit: '/s',
    where: 'chromium worker',
    backend: 'core (TS)',
    cores: wc,
  });

  add({
    name: 'gmm.msPerGeneration',
    value: round(node.gmmTs.msPerGeneration, 2),
    unit: 'ms',
    where: 'node',
    backend: 'ts',
    note: 'K=2 d=2 M=1000 tol 1e-3, target ≤ 1.2',
  });
  add({
    name: 'gmm.msPerGeneration',
    value: round(web.gmmTs.msPerGeneration, 2),
    unit: 'ms',
    where: 'chromium',
    backend: 'ts',
    cores: wc,
  });
  if (node.sklearnMs !== null) {
    add({
      name: 'gmm.msPerGeneration',
      value: round(node.sklearnMs, 2),
      unit: 'ms',
      where: 'python',
      backend: 'scikit-learn',
    });
    add({
      name: 'gmm.speedupTsOverSklearn',
      value: round(node.sklearnMs / node.gmmTs.msPerGeneration, 1),
      unit: '×',
      where: 'ratio',
      backend: 'ts',
      note: 'target ≥ 5',
    });
  }
  const batched = (where: string, backend: string, r: BenchResult, cores = CORES) => {
    if (r.error || r.msPerGeneration === undefined) {
      add({
        name: 'gmm.batched64.msPerGeneration',
        value: Number.NaN,
        unit: 'ms',
        where,
        backend,
        cores,
        note: r.error ?? 'failed',
      });
      return;
    }
    add({
      name: 'gmm.batched64.msPerGeneration',
      value: round(r.msPerGeneration),
      unit: 'ms',
      where,
      backend,
      cores,
    });
    add({
      name: 'gmm.batched64.generationsPerSecondEachChain',
      value: round(r.generationsPerSecondEachChain as number, 1),
      unit: '/s',
      where,
      backend,
      cores,
      note: 'target ≥ 10',
    });
  };
  const vae = (where: string, backend: string, r: BenchResult, cores = CORES) =>
    add({
      name: 'vae.msPerStep',
      value: r.msPerStep === undefined ? Number.NaN : round(r.msPerStep),
      unit: 'ms',
      where,
      backend,
      cores,
      note: r.error ?? 'MLP 784-128-8, batch 64; PyTorch CPU 2.2 ms',
    });
  for (const [b, r] of Object.entries(node.perBackend)) batched('node', b, r.gmm);
  for (const [b, r] of Object.entries(web.results)) batched('chromium', b, r.gmm, wc);
  for (const [b, r] of Object.entries(node.perBackend)) vae('node', b, r.vae);
  for (const [b, r] of Object.entries(web.results)) vae('chromium', b, r.vae, wc);

  add({
    name: 'page.timeToFirstChartMs',
    value: round(web.load.firstChart),
    unit: 'ms',
    where: 'chromium',
    backend: '-',
    cores: wc,
    note: 'target ≤ 1000',
  });
  add({
    name: 'page.jsBeforeFirstChartGzipKB',
    value: round(web.load.jsBeforeFirstChart / 1024),
    unit: 'KB',
    where: 'chromium',
    backend: '-',
    cores: wc,
    note: 'target ≤ 150',
  });
  add({
    name: 'page.jsTotalGzipKB',
    value: round(web.load.jsTotal / 1024),
    unit: 'KB',
    where: 'dist',
    backend: '-',
  });

  const result = {
    machine: { cores: CORES, node: process.version, webgpuAdapter: web.adapter },
    runs: RUNS,
    figures,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    f.where,
    f.backend,
    String(f.cores),
    f.note ?? '',
  ]);
  const head = ['figure', 'value', 'where', 'backend', 'cores', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  process.stdout.write(
    `${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`,
  );
  process.stdout.write(
    `\nWebGPU adapter: ${web.adapter}. Medians; page loads over ${RUNS} cold runs.\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
