// `npm run bench [-- --json] [-- --page]`: measures, side by side in one run, every model's
// workload in Node and in the production build in headless Chromium (Debian's; WebGPU through
// SwiftShader where no real GPU exists), plus the page: load figures, main-thread tasks while a
// VAE trains, frames while a slider is dragged, tfjs memory and JS heaps over 50 VAE generations.
// Timings are reported, never asserted: these machines are shared and noisy. Each figure names
// where it ran, the backend and the core count.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { Browser, Page } from 'playwright-core';
import { build, preview } from 'vite';
import { benchGmmBatched, benchGmmTs, benchVaeStep, median } from '../bench/workloads';
import { simulateGaussian1d } from '../core/loop';
import { DEFAULT_RECIPE } from '../core/recipe';
import { mnistToFloat, parseMnist } from '../engine/mnist';
import { launchChromium, SOFTWARE_ARGS } from './chromium';

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
    /** Only the page's figures: no Node workloads, no per-backend workloads in Chromium. */
    page: { type: 'boolean' },
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

// ---- Page metrics: main-thread tasks while a VAE trains, frames while dragging, memory ---------

/** A VAE small enough to train in a few seconds on wasm, with every view drawn (z = 2: latents). */
const TRAINING_HASH = 'model=vae&M=500&gens=10&ep=2&h=128&z=2';
/** 51 generations of a tiny VAE on wasm, for tfjs's tensor counts and the JS heaps. */
const MEMORY_HASH = 'model=vae&M=100&gens=50&ep=1&h=32&z=2';
const MEMORY_LATE = 50;
const DRAG_MS = 2000;

/**
 * Installed before any page script: long tasks (PerformanceObserver, buffered), a
 * requestAnimationFrame counter and an input-event counter that record while `recording`, and on
 * VAE pages a 'bench-training' mark when the progress label first names a generation (the data
 * are loaded and the backend chosen: training is under way). A string, not a function: tsx would
 * wrap named functions in a helper the page lacks.
 */
const PAGE_PROBES = `(() => {
  const b = (window.__bench = { longTasks: [], frames: [], inputs: 0, recording: false });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const tick = (t) => {
    if (b.recording) b.frames.push(t);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  addEventListener('input', () => { if (b.recording) b.inputs++; }, true);
  if (location.hash.includes('model=vae')) {
    const watch = new MutationObserver(() => {
      const label = document.querySelector('[data-testid="vae-progress-label"]');
      if (label && /^Generation \\d/.test(label.textContent || '')) {
        performance.mark('bench-training');
        watch.disconnect();
      }
    });
    watch.observe(document, { subtree: true, childList: true, characterData: true });
  }
})();`;

interface Probes {
  longTasks: { start: number; duration: number }[];
  frames: number[];
  inputs: number;
  recording: boolean;
}

/** A page in a fresh context (a cold cache) with PAGE_PROBES, opened at `url`. */
async function probedPage(
  browser: Browser,
  url: string,
  beforeLoad?: (page: Page) => Promise<void>,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.addInitScript(PAGE_PROBES);
  const page = await context.newPage();
  await beforeLoad?.(page);
  await page.goto(url);
  return page;
}

const waitForRunDone = (page: Page, timeout: number) =>
  page.waitForFunction(() => performance.getEntriesByName('run-done').length > 0, null, {
    timeout,
  });

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
}

/**
 * The longest task on the page's main thread between two user-timing marks, from a trace of
 * the 'toplevel' category (every task, not only those over 50 ms). The marks name the thread.
 */
function longestTraceTask(trace: Buffer, from: string, to: string): number | null {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents?: TraceEvent[] };
  const events = parsed.traceEvents ?? (parsed as unknown as TraceEvent[]);
  const mark = (name: string) => events.find((e) => e.name === name && e.ph !== 'M');
  const start = mark(from);
  const end = mark(to);
  if (!start || !end) return null;
  let longest = 0;
  for (const e of events) {
    if (
      e.ph === 'X' &&
      e.name === 'ThreadControllerImpl::RunTask' &&
      e.pid === start.pid &&
      e.tid === start.tid &&
      e.dur !== undefined &&
      e.ts + e.dur >= start.ts &&
      e.ts <= end.ts
    ) {
      longest = Math.max(longest, e.dur / 1000);
    }
  }
  return longest;
}

/** Main-thread tasks while a VAE trains (first training progress → 'run-done'). */
async function vaeTrainingTasks(browser: Browser, base: string) {
  const page = await probedPage(browser, `${base}#${TRAINING_HASH}`, (p) =>
    browser.startTracing(p, { categories: ['toplevel', 'blink.user_timing'] }),
  );
  try {
    await waitForRunDone(page, 180_000);
    const trace = await browser.stopTracing();
    const seen = await page.evaluate(() => {
      const training = performance.getEntriesByName('bench-training')[0];
      if (!training) throw new Error('the VAE page never showed a training generation');
      const from = training.startTime;
      const to = performance.getEntriesByName('run-done')[0].startTime;
      const long = (window as never as { __bench: Probes }).__bench.longTasks.filter(
        (t) => t.start + t.duration >= from && t.start <= to,
      );
      return {
        trainingMs: to - from,
        over50: long.filter((t) => t.duration > 50).length,
        longestObserved: Math.max(0, ...long.map((t) => t.duration)),
        backend:
          document.querySelector('[data-testid="backend-badge"]')?.getAttribute('data-backend') ??
          '?',
        cores: navigator.hardwareConcurrency,
      };
    });
    const traced = longestTraceTask(trace, 'bench-training', 'run-done');
    return {
      ...seen,
      longestMs: Math.max(seen.longestObserved, traced ?? 0),
      traced: traced !== null,
    };
  } finally {
    await page.context().close();
  }
}

/**
 * Drags the synthetic-share slider of the Gaussian page (default recipe) from 100 % to 25 %
 * over DRAG_MS with the mouse, a move about every 16 ms (each value change starts a new run in
 * the worker), counting animation frames meanwhile.
 */
async function sliderDrag(browser: Browser, base: string) {
  const page = await probedPage(browser, base);
  try {
    await waitForRunDone(page, 60_000);
    const slider = page.getByTestId('synthetic-share');
    await slider.scrollIntoViewIfNeeded();
    const box = await slider.boundingBox();
    if (!box) throw new Error('the synthetic-share slider has no box');
    const y = box.y + box.height / 2;
    const from = box.x + box.width - 8; // on the thumb, at 100 %
    const to = box.x + box.width * 0.25;
    await page.mouse.move(from, y);
    await page.evaluate(() => {
      (window as never as { __bench: Probes }).__bench.recording = true;
    });
    await page.mouse.down();
    const t0 = performance.now();
    let moves = 0;
    for (;;) {
      const elapsed = performance.now() - t0;
      if (elapsed >= DRAG_MS) break;
      await page.mouse.move(from + ((to - from) * elapsed) / DRAG_MS, y);
      moves++;
      const wait = 16 - (performance.now() - t0 - elapsed);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await page.mouse.move(to, y);
    await page.mouse.up();
    const { frames, inputs } = await page.evaluate(() => {
      const b = (window as never as { __bench: Probes }).__bench;
      b.recording = false;
      return { frames: b.frames, inputs: b.inputs };
    });
    const gaps = frames.slice(1).map((t, i) => t - frames[i]);
    return {
      fps:
        frames.length > 1
          ? ((frames.length - 1) / (frames[frames.length - 1] - frames[0])) * 1000
          : 0,
      longestFrameMs: gaps.length > 0 ? Math.max(...gaps) : Number.NaN,
      moves,
      inputs,
    };
  } finally {
    await page.context().close();
  }
}

/**
 * Sends `methods` one after another to the page's simulation worker and returns the last one's
 * result. Playwright's CDP sessions reach pages, not workers: this goes through a browser
 * session and the (non-flattened) Target.sendMessageToTarget.
 */
async function inWorker<T>(browser: Browser, base: string, methods: string[]): Promise<T> {
  const cdp = await browser.newBrowserCDPSession();
  const replies = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (m.id !== undefined) replies.get(m.id)?.(m);
  });
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const workers = targetInfos.filter(
      (t) => t.type === 'worker' && t.url.startsWith(base) && t.url.includes('simulation.worker'),
    );
    if (workers.length !== 1) throw new Error(`${workers.length} simulation workers`);
    const { sessionId } = await cdp.send('Target.attachToTarget', {
      targetId: workers[0].targetId,
      flatten: false,
    });
    let last: unknown;
    for (const [i, method] of methods.entries()) {
      const id = i + 1;
      const reply = new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${method}: no reply`)), 15_000);
        replies.set(id, (m) => {
          clearTimeout(timer);
          if (m.error) reject(new Error(`${method}: ${m.error.message}`));
          else resolve(m.result);
        });
      });
      await cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id, method }),
      });
      last = await reply;
    }
    await cdp.send('Target.detachFromTarget', { sessionId });
    return last as T;
  } finally {
    await cdp.detach();
  }
}

interface MemoryReading {
  /** Newest generation on the page when the heaps were read. */
  generation: number;
  numTensors: number;
  numBytes: number;
  pageHeap: number;
  workerHeap: number | null;
}

/**
 * tfjs memory after generations 1 and 50 of a tiny VAE on wasm (from the 'vae-memory' marks),
 * and the page's and the worker's JS heaps (after a forced GC) when those generations arrive.
 */
async function vaeMemory(browser: Browser, base: string) {
  const page = await probedPage(browser, `${base}?backend=wasm#${MEMORY_HASH}`);
  const cdp = await page.context().newCDPSession(page);
  const marks = () =>
    page.evaluate(() =>
      performance.getEntriesByName('vae-memory').map(
        (m) =>
          (m as PerformanceMark).detail as {
            generation: number;
            numTensors: number;
            numBytes: number;
          },
      ),
    );
  const read = async (generation: number): Promise<MemoryReading> => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    let workerHeap: number | null = null;
    try {
      workerHeap = (
        await inWorker<{ usedSize: number }>(browser, base, [
          'HeapProfiler.collectGarbage',
          'Runtime.getHeapUsage',
        ])
      ).usedSize;
    } catch (e) {
      log(`  (the worker's heap could not be read: ${String(e).split('\n')[0]})`);
    }
    const all = await marks();
    const mark = all.find((m) => m.generation === generation);
    if (!mark) throw new Error(`no 'vae-memory' mark for generation ${generation}`);
    return { ...mark, generation: all.length - 1, pageHeap: usedSize, workerHeap };
  };
  try {
    await page.waitForFunction(() => performance.getEntriesByName('vae-memory').length >= 2, null, {
      timeout: 120_000,
    });
    const early = await read(1);
    await waitForRunDone(page, 300_000);
    const late = await read(MEMORY_LATE);
    const backend = await page
      .getByTestId('backend-badge')
      .getAttribute('data-backend')
      .catch(() => null);
    return { early, late, backend: backend ?? 'wasm' };
  } finally {
    await page.context().close();
  }
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
  try {
    const browser = await launchChromium();
    let project: {
      models: Awaited<ReturnType<typeof benchPage>> | null;
      load: Awaited<ReturnType<typeof pageLoads>>;
      dragSwiftShader: Awaited<ReturnType<typeof sliderDrag>>;
    };
    try {
      log('Chromium: the app, cold loads…');
      const load = await pageLoads(browser, base);
      const models = args.page ? null : await benchPage(browser, base);
      log('Chromium: dragging the synthetic-share slider, raster through SwiftShader GL…');
      const dragSwiftShader = await sliderDrag(browser, base);
      project = { models, load, dragSwiftShader };
    } finally {
      await browser.close();
    }
    // The page as a reader without a GPU gets it: software compositing (see SOFTWARE_ARGS).
    const reader = await launchChromium(SOFTWARE_ARGS);
    try {
      log('Chromium (software compositing): main-thread tasks while a VAE trains…');
      const training = await vaeTrainingTasks(reader, base);
      log('Chromium (software compositing): dragging the synthetic-share slider…');
      const drag = await sliderDrag(reader, base);
      log(
        `Chromium (software compositing): tfjs memory and heaps over ${MEMORY_LATE} VAE generations…`,
      );
      const memory = await vaeMemory(reader, base);
      return { ...project, training, drag, memory, cores: training.cores };
    } finally {
      await reader.close();
    }
  } finally {
    await server.close();
  }
}

// ---- Report -----------------------------------------------------------------------------------

type NodeResults = Awaited<ReturnType<typeof benchNode>>;
type WebResults = Awaited<ReturnType<typeof benchBrowser>>;

function addModelFigures(
  node: NodeResults,
  web: WebResults,
  models: NonNullable<WebResults['models']>,
) {
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
    value: round(models.gmmTs.msPerGeneration, 2),
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
  for (const [b, r] of Object.entries(models.results)) batched('chromium', b, r.gmm, wc);
  for (const [b, r] of Object.entries(node.perBackend)) vae('node', b, r.vae);
  for (const [b, r] of Object.entries(models.results)) vae('chromium', b, r.vae, wc);
}

function addPageFigures(web: WebResults) {
  const wc = web.cores;
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

  const SOFTWARE = 'chromium (software)';
  const t = web.training;
  add({
    name: 'page.vaeTraining.longestTaskMs',
    value: round(t.longestMs),
    unit: 'ms',
    where: SOFTWARE,
    backend: t.backend,
    cores: wc,
    note: `target ≤ 50; main thread over ${round(t.trainingMs / 1000)} s of training (${TRAINING_HASH.replace(/&/g, ' ')})${t.traced ? '' : '; long tasks only, no trace'}`,
  });
  add({
    name: 'page.vaeTraining.tasksOver50ms',
    value: t.over50,
    unit: '',
    where: SOFTWARE,
    backend: t.backend,
    cores: wc,
    note: 'target 0; PerformanceObserver longtask',
  });
  const drag = (where: string, d: typeof web.drag, note: string) => {
    add({
      name: 'page.sliderDragFps',
      value: round(d.fps),
      unit: 'fps',
      where,
      backend: 'core (TS)',
      cores: wc,
      note: `${note}; ${d.inputs} values (a new run each) in ${DRAG_MS / 1000} s, ${d.moves} mouse moves`,
    });
    add({
      name: 'page.sliderDragLongestFrameMs',
      value: round(d.longestFrameMs),
      unit: 'ms',
      where,
      backend: 'core (TS)',
      cores: wc,
    });
  };
  drag(SOFTWARE, web.drag, 'target ≥ 50');
  drag(
    'chromium (SwiftShader GL)',
    web.dragSwiftShader,
    'the tests’ flags: every frame rasterised in emulated GL',
  );
  const m = web.memory;
  for (const [label, r] of [
    ['gen1', m.early],
    [`gen${MEMORY_LATE}`, m.late],
  ] as const) {
    const at = `heaps read after a forced GC at generation ${r.generation}`;
    add({
      name: `vae.tfNumTensors.${label}`,
      value: r.numTensors,
      unit: '',
      where: 'chromium worker',
      backend: m.backend,
      cores: wc,
      note:
        label === 'gen1'
          ? `${MEMORY_HASH.replace(/&/g, ' ')}, ?backend=wasm`
          : m.late.numTensors === m.early.numTensors && m.late.numBytes === m.early.numBytes
            ? 'same as gen1: no leak'
            : `gen1 had ${m.early.numTensors} (${round(m.early.numBytes / 1024)} KB): a leak`,
    });
    add({
      name: `vae.tfMemoryKB.${label}`,
      value: round(r.numBytes / 1024),
      unit: 'KB',
      where: 'chromium worker',
      backend: m.backend,
      cores: wc,
    });
    add({
      name: `vae.jsHeapMB.${label}`,
      value: round(r.pageHeap / 2 ** 20, 2),
      unit: 'MB',
      where: 'chromium page',
      backend: m.backend,
      cores: wc,
      note: at,
    });
    add({
      name: `vae.jsHeapMB.${label}`,
      value: r.workerHeap === null ? Number.NaN : round(r.workerHeap / 2 ** 20, 2),
      unit: 'MB',
      where: 'chromium worker',
      backend: m.backend,
      cores: wc,
      note: r.workerHeap === null ? 'could not be read' : at,
    });
  }
}

async function main() {
  const node = args.page ? null : await benchNode();
  const web = await benchBrowser();
  if (node && web.models) addModelFigures(node, web, web.models);
  addPageFigures(web);
  const adapter = web.models?.adapter ?? 'not probed (--page)';
  const result = {
    machine: { cores: CORES, node: process.version, webgpuAdapter: adapter },
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
    `\nWebGPU adapter: ${adapter}. Medians; page loads over ${RUNS} cold runs. "chromium (software)": ` +
      'Chromium with --disable-gpu, as a reader without a GPU has it; the rest uses the tests’ flags.\n',
  );
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
