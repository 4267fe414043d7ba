// The bench's page figures: the production app driven in Chromium as a reader uses it — cold
// loads, whole runs of the default scenarios and presets (the pool of workers against one
// worker, `?workers=1`), main-thread tasks while a VAE trains, frames while a slider is dragged,
// and tfjs memory and JS heaps over 50 VAE generations. Every measurement runs once, on first use.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { gmmSpec } from '../core/models/gmm/spec';
import { fieldsOf } from '../core/recipe';
import {
  FIRST_CHART_MARK,
  PHASE_DONE_MARK,
  type PhaseDoneDetail,
  PRERENDERED_ATTRIBUTE,
  RUN_DONE_MARK,
  VAE_MEMORY_MARK,
  VAE_TRAINING_MARK,
  type VaeMemoryDetail,
} from '../state/marks';
import {
  type BrowserKind,
  type BrowserSession,
  badgeBackend,
  inSimulationWorker,
  longestTraceTask,
  type Probes,
  probedPage,
  runDone,
  simulationWorkers,
  TRANSFORMER_MARKS,
  waitForMark,
} from './browser';
import { median, once } from './stats';

/** A VAE small enough to train in a few seconds on wasm, with every view drawn (z = 2: latents). */
export const TRAINING_HASH = 'model=vae&M=500&gens=10&ep=2&h=128&z=2';
/** 51 generations of a tiny VAE on wasm, for tfjs's tensor counts and the JS heaps. */
export const MEMORY_HASH = 'model=vae&M=100&gens=50&ep=1&h=32&z=2';
export const MEMORY_LATE = 50;
export const DRAG_MS = 2000;

/** The lab on the default experiment: any hash opens the lab, a bare address the story. */
export const LAB_HASH = 'v=1';

/** The link of a mixture preset as the app's URL codec writes it (the preset's fields only). */
export function gmmPresetHash(name: string): string {
  const preset = gmmSpec.presets.find((p) => p.name === name);
  if (!preset) throw new Error(`no mixture preset named ${JSON.stringify(name)}`);
  const fields = fieldsOf('gmm');
  const params = new URLSearchParams({ model: 'gmm' });
  for (const [k, v] of Object.entries(preset.recipe)) params.set(fields[k].short, String(v));
  return params.toString();
}

/**
 * The whole runs the bench times in the app, from navigation to RUN_DONE_MARK, each with the
 * target its figure's note states. `plainTs`: the run is plain TypeScript in the tab, short enough
 * to time several times (the median is kept), and shows no backend badge.
 */
export const PAGE_RUNS = [
  {
    key: 'gaussianDefault',
    model: 'gaussian1d',
    label: 'the Gaussian default scenario',
    // The lab on its default experiment (a bare address opens the story).
    hash: LAB_HASH,
    pooled: true,
    target: 'target: run < 1000 ms',
    plainTs: true,
  },
  {
    key: 'curseOfRecursionGmm',
    model: 'gmm',
    label: 'the "Curse of Recursion GMM" preset',
    hash: gmmPresetHash('Curse of Recursion GMM'),
    pooled: true,
    target: 'target: near one worker’s time / the pool’s workers',
  },
  {
    key: 'ringOf8',
    model: 'gmm',
    label: 'the "Ring of 8" preset',
    hash: gmmPresetHash('Ring of 8'),
    pooled: true,
    target: 'target: near one worker’s time / the pool’s workers',
  },
  {
    key: '25Modes',
    model: 'gmm',
    label: 'the "25 modes" preset',
    hash: gmmPresetHash('25 modes'),
    pooled: true,
    target: 'target: near one worker’s time / the pool’s workers',
  },
  // The diffusion model's default run on WebAssembly (the issue's target: 5 generations < 30 s).
  {
    key: 'diffusionDefault',
    model: 'diffusion',
    label: 'the diffusion default run on WebAssembly',
    hash: 'model=diffusion',
    search: 'backend=wasm',
    pooled: false,
    target: 'target < 30000 on WebAssembly',
  },
  // Four variants of the default on common random numbers, as one job on the pool.
  {
    key: 'gaussianCompare4',
    model: 'gaussian1d',
    label: 'a 4-variant comparison of the Gaussian default (λ = 1, 0.9, 0.8, 0.7)',
    hash: 'cmp=temperature=1,0.9,0.8,0.7',
    pooled: false,
    target: 'target: run < 1000 ms',
    plainTs: true,
  },
  // The VAE trains its chains in one worker: the pool does not change it.
  {
    key: 'vaeDefault',
    model: 'vae',
    label: 'the VAE default run',
    hash: 'model=vae',
    pooled: false,
    target: 'target ≤ 8000',
  },
] as const;

export type PageRunKey = (typeof PAGE_RUNS)[number]['key'];

/** The transformer's default run in the app, on WebAssembly (its own figures: transformer.*). */
export const TRANSFORMER_RUN = { hash: 'model=transformer', search: 'backend=wasm' } as const;

export interface TransformerRunReading extends RunReading {
  /** Navigation to generation 0's passage on screen (the first generation's text). */
  firstTextMs: number;
  /** Navigation to the progress element first on screen (the run has started). */
  progressMs: number | null;
  /** Navigation to the 'training' phase (data loaded, backend chosen). */
  trainingMs: number | null;
}

/**
 * A slow mobile connection, as Lighthouse's mobile runs throttle one: 150 ms round trips, 1.6 Mbit/s
 * down, 750 kbit/s up (applied to the page's own requests; the preview server gzips).
 */
export const SLOW_NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: 1.6e6 / 8,
  uploadThroughput: 750e3 / 8,
};

export interface RunReading {
  /** Navigation start to RUN_DONE_MARK: what a reader waits for. */
  wholeMs: number;
  /** The run's own time (RunDoneDetail.elapsedMs). */
  runMs: number;
  /** Simulation workers the page started. */
  workers: number;
  backend: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

export interface PageBenchOptions {
  session: BrowserSession;
  runs: number;
  log: (message: string) => void;
}

export function createPageBench({ session, runs, log }: PageBenchOptions) {
  const probes = (page: Page) =>
    page.evaluate(() => (window as never as { __bench: Probes }).__bench);

  /** RUNS cold loads of the lab on its default experiment (the tests' flags, as before). */
  const loads = once(() => coldLoads(`#${LAB_HASH}`, 'the lab', RUN_DONE_MARK));
  /** RUNS cold loads of the story (a bare address): its opening figure's first chart. */
  const storyLoads = once(() => coldLoads('', 'the story', FIRST_CHART_MARK));

  /**
   * RUNS cold loads of the page at `path`, each until `until` is set. Two first charts: the first
   * on screen (the first contentful paint, where the build drew a chart into the page, else the
   * first the tab drew) and the first drawn from the tab's own run; for each, its time and the
   * JavaScript (gzipped, each file once) loaded by then, the worker's included.
   */
  const coldLoads = async (path: string, label: string, until: string, slow = false) => {
    log(`Chromium: ${label}, cold loads…`);
    const browser = await session.browser('swiftshader');
    const url = `${await session.base()}${path}`;
    const seen: {
      drawnByBuild: boolean;
      firstChart: number;
      firstLiveChart: number;
      runMs: number;
      computeMs: number;
      workers: number;
      scripts: string[];
      liveScripts: string[];
    }[] = [];
    for (let i = 0; i < runs; i++) {
      // Whether the page showed a chart the build drew once its HTML was parsed.
      const page = await probedPage(browser, url, async (p) => {
        if (slow) {
          const cdp = await p.context().newCDPSession(p);
          await cdp.send('Network.enable');
          await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK);
        }
        await p.addInitScript((attribute) => {
          document.addEventListener('DOMContentLoaded', () => {
            const drawn = document.querySelector(`svg[${attribute}]`);
            (window as never as { __drawnByBuild: boolean }).__drawnByBuild =
              drawn?.checkVisibility() ?? false;
          });
        }, PRERENDERED_ATTRIBUTE);
      });
      try {
        await waitForMark(page, until, 60_000);
        await waitForMark(page, RUN_DONE_MARK, 60_000);
        const { detail } = await runDone(page);
        const times = await page.evaluate((first) => {
          const drawn = (window as never as { __drawnByBuild: boolean }).__drawnByBuild;
          const live = performance.getEntriesByName(first)[0].startTime;
          const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
          const onScreen = drawn && paint !== undefined ? paint : live;
          // Every script's path and when it had arrived (cut in Node: a named function here
          // would need tsx's __name helper, which the page lacks).
          const scripts = performance
            .getEntriesByType('resource')
            .filter((e) => e.name.endsWith('.js'))
            .map((e) => ({
              path: new URL(e.name).pathname,
              end: (e as PerformanceResourceTiming).responseEnd,
            }));
          return { drawn, onScreen, live, scripts };
        }, FIRST_CHART_MARK);
        seen.push({
          drawnByBuild: times.drawn,
          firstChart: times.onScreen,
          firstLiveChart: times.live,
          runMs: detail.elapsedMs,
          computeMs: detail.computeMs,
          workers: simulationWorkers(page),
          scripts: times.scripts.filter((x) => x.end <= times.onScreen).map((x) => x.path),
          liveScripts: times.scripts.filter((x) => x.end <= times.live).map((x) => x.path),
        });
      } finally {
        await page.context().close();
      }
    }
    const gz = (file: string) => gzipSync(readFileSync(file)).length;
    const js = filesUnder(session.dist).filter((f) => f.endsWith('.js'));
    const gzipped = (scripts: string[]) => {
      const names = new Set(scripts.map((p) => p.split('/').pop()));
      return js.filter((f) => names.has(f.split('/').pop())).reduce((a, f) => a + gz(f), 0);
    };
    return {
      drawnByBuild: seen.every((l) => l.drawnByBuild),
      firstChart: median(seen.map((l) => l.firstChart)),
      firstLiveChart: median(seen.map((l) => l.firstLiveChart)),
      runMs: median(seen.map((l) => l.runMs)),
      computeMs: median(seen.map((l) => l.computeMs)),
      workers: Math.max(...seen.map((l) => l.workers)),
      jsBeforeFirstChart: gzipped(seen[0].scripts),
      jsBeforeFirstLiveChart: gzipped(seen[0].liveScripts),
      jsTotal: js.reduce((a, f) => a + gz(f), 0),
    };
  };
  /** RUNS cold loads of the story over a slow mobile connection (SLOW_NETWORK). */
  const storySlowLoads = once(() =>
    coldLoads('', 'the story on a slow connection', FIRST_CHART_MARK, true),
  );
  /** RUNS cold loads of embed.html with its first figure (the Gaussian's density). */
  const embedLoads = once(() => coldLoads('embed.html', 'the embed', FIRST_CHART_MARK));

  const cores = once(async () => {
    const page = await (await session.browser('software')).newPage();
    try {
      return await page.evaluate(() => navigator.hardwareConcurrency);
    } finally {
      await page.close();
    }
  });

  /** One whole run in Chromium as a reader without a GPU has it, on the pool or on one worker. */
  const runCache = new Map<string, Promise<RunReading>>();
  const run = (key: PageRunKey, workers: 'pool' | 1): Promise<RunReading> => {
    const id = `${key}:${workers}`;
    let p = runCache.get(id);
    if (!p) {
      const spec = PAGE_RUNS.find((r) => r.key === key) as (typeof PAGE_RUNS)[number];
      p = (async () => {
        const n = 'plainTs' in spec ? runs : 1;
        log(
          `Chromium (software compositing): ${spec.label}, ${workers === 1 ? 'one worker' : 'the pool'}${n > 1 ? `, ${n} runs` : ''}…`,
        );
        const browser = await session.browser('software');
        const search = [
          'search' in spec ? spec.search : null,
          workers === 1 ? 'workers=1' : null,
        ].filter(Boolean);
        const url = `${await session.base()}${search.length ? `?${search.join('&')}` : ''}${spec.hash ? `#${spec.hash}` : ''}`;
        const readings: RunReading[] = [];
        for (let i = 0; i < n; i++) {
          const page = await probedPage(browser, url);
          try {
            await waitForMark(page, RUN_DONE_MARK, 600_000);
            const { at, detail } = await runDone(page);
            if (detail.status !== 'done') throw new Error(`the run ended ${detail.status}`);
            readings.push({
              wholeMs: at,
              runMs: detail.elapsedMs,
              workers: simulationWorkers(page),
              // A plain TypeScript run shows no badge.
              backend: (await badgeBackend(page)) ?? ('plainTs' in spec ? 'core (TS)' : '?'),
            });
          } finally {
            await page.context().close();
          }
        }
        return {
          wholeMs: median(readings.map((r) => r.wholeMs)),
          runMs: median(readings.map((r) => r.runMs)),
          workers: Math.max(...readings.map((r) => r.workers)),
          backend: readings[0].backend,
        };
      })();
      runCache.set(id, p);
    }
    return p;
  };

  /**
   * The transformer's default run in the app on WebAssembly, once: navigation to the first
   * generation's text on screen (TRANSFORMER_MARKS, set by the bench's probe) and to the run's end.
   */
  const transformerRun = once(async (): Promise<TransformerRunReading> => {
    log('Chromium (software compositing): the transformer default run on WebAssembly…');
    const browser = await session.browser('software');
    const url = `${await session.base()}?${TRANSFORMER_RUN.search}#${TRANSFORMER_RUN.hash}`;
    const page = await probedPage(browser, url);
    try {
      await waitForMark(page, TRANSFORMER_MARKS.firstText, 300_000);
      await waitForMark(page, RUN_DONE_MARK, 600_000);
      const { at, detail } = await runDone(page);
      if (detail.status !== 'done') throw new Error(`the run ended ${detail.status}`);
      const marks = await page.evaluate(
        (names) =>
          names.map((n) => performance.getEntriesByName(n)[0]?.startTime ?? null) as (
            | number
            | null
          )[],
        [TRANSFORMER_MARKS.firstText, TRANSFORMER_MARKS.progress, TRANSFORMER_MARKS.training],
      );
      return {
        wholeMs: at,
        runMs: detail.elapsedMs,
        workers: simulationWorkers(page),
        backend: (await badgeBackend(page)) ?? '?',
        firstTextMs: marks[0] as number,
        progressMs: marks[1],
        trainingMs: marks[2],
      };
    } finally {
      await page.context().close();
    }
  });

  /** Main-thread tasks while a VAE trains (VAE_TRAINING_MARK → RUN_DONE_MARK). */
  const vaeTraining = once(async () => {
    log('Chromium (software compositing): main-thread tasks while a VAE trains…');
    const browser = await session.browser('software');
    const page = await probedPage(browser, `${await session.base()}#${TRAINING_HASH}`, (p) =>
      browser.startTracing(p, { categories: ['toplevel', 'blink.user_timing'] }),
    );
    try {
      await waitForMark(page, RUN_DONE_MARK, 180_000);
      const trace = await browser.stopTracing();
      const seen = await page.evaluate(
        ([training, done]) => {
          const t = performance.getEntriesByName(training)[0];
          if (!t) throw new Error('the VAE page never showed its training phase');
          const from = t.startTime;
          const to = performance.getEntriesByName(done)[0].startTime;
          const long = (window as never as { __bench: Probes }).__bench.longTasks.filter(
            (x) => x.start + x.duration >= from && x.start <= to,
          );
          return {
            trainingMs: to - from,
            over50: long.filter((x) => x.duration > 50).length,
            longestObserved: Math.max(0, ...long.map((x) => x.duration)),
          };
        },
        [VAE_TRAINING_MARK, RUN_DONE_MARK] as const,
      );
      const traced = longestTraceTask(trace, VAE_TRAINING_MARK, RUN_DONE_MARK);
      return {
        ...seen,
        backend: (await badgeBackend(page)) ?? '?',
        longestMs: Math.max(seen.longestObserved, traced ?? 0),
        traced: traced !== null,
      };
    } finally {
      await page.context().close();
    }
  });

  /**
   * Drags the synthetic-share slider of the Gaussian page (default recipe) from 100 % to 25 %
   * over DRAG_MS with the mouse, a move about every 16 ms (each value change starts a new run),
   * counting animation frames meanwhile.
   */
  const dragCache = new Map<BrowserKind, ReturnType<typeof drag>>();
  const drag = async (kind: BrowserKind) => {
    log(`Chromium (${kind}): dragging the synthetic-share slider…`);
    const page = await probedPage(
      await session.browser(kind),
      `${await session.base()}#${LAB_HASH}`,
    );
    try {
      await waitForMark(page, RUN_DONE_MARK, 60_000);
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
      await page.evaluate(() => {
        (window as never as { __bench: Probes }).__bench.recording = false;
      });
      const { frames, inputs } = await probes(page);
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
  };

  /**
   * tfjs memory after generations 1 and MEMORY_LATE of a tiny VAE on wasm (VAE_MEMORY_MARK), and
   * the page's and the worker's JS heaps (after a forced GC) when those generations arrive.
   */
  const vaeMemory = once(async () => {
    log(
      `Chromium (software compositing): tfjs memory and heaps over ${MEMORY_LATE} VAE generations…`,
    );
    const browser = await session.browser('software');
    const base = await session.base();
    const page = await probedPage(browser, `${base}?backend=wasm#${MEMORY_HASH}`);
    const cdp = await page.context().newCDPSession(page);
    const marks = () =>
      page.evaluate(
        (name) =>
          performance
            .getEntriesByName(name)
            .map((m) => (m as PerformanceMark).detail as VaeMemoryDetail),
        VAE_MEMORY_MARK,
      );
    const read = async (generation: number) => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      let workerHeap: number | null = null;
      try {
        workerHeap = (
          await inSimulationWorker<{ usedSize: number }>(browser, base, [
            'HeapProfiler.collectGarbage',
            'Runtime.getHeapUsage',
          ])
        ).usedSize;
      } catch (e) {
        log(`  (the worker's heap could not be read: ${String(e).split('\n')[0]})`);
      }
      const all = await marks();
      const mark = all.find((m) => m.generation === generation);
      if (!mark) throw new Error(`no '${VAE_MEMORY_MARK}' mark for generation ${generation}`);
      return { ...mark, generation: all.length - 1, pageHeap: usedSize, workerHeap };
    };
    try {
      await waitForMark(page, VAE_MEMORY_MARK, 120_000, 2);
      const early = await read(1);
      await waitForMark(page, RUN_DONE_MARK, 300_000);
      const late = await read(MEMORY_LATE);
      return { early, late, backend: (await badgeBackend(page)) ?? 'wasm' };
    } finally {
      await page.context().close();
    }
  });

  /** The lab's phase diagram of the Gaussian: 20 × 20 cells of 100 chains, M = 100, 200 generations. */
  const phase = once(async () => {
    log('Chromium (software compositing): the 20 × 20 phase diagram of the Gaussian…');
    const browser = await session.browser('software');
    const page = await probedPage(browser, `${await session.base()}#M=100&gens=200`);
    try {
      await waitForMark(page, RUN_DONE_MARK, 60_000);
      await page.getByTestId('phase-panel').locator('summary').click();
      await page.getByTestId('phase-size').selectOption('20');
      await page.getByTestId('phase-replicates').selectOption('100');
      await page.getByTestId('phase-compute').click();
      await waitForMark(page, PHASE_DONE_MARK, 300_000);
      return await page.evaluate(
        (name) =>
          (performance.getEntriesByName(name)[0] as PerformanceMark).detail as PhaseDoneDetail,
        PHASE_DONE_MARK,
      );
    } finally {
      await page.context().close();
    }
  });

  return {
    loads,
    storyLoads,
    storySlowLoads,
    embedLoads,
    cores,
    run,
    transformerRun,
    phase,
    vaeTraining,
    drag(kind: BrowserKind) {
      let p = dragCache.get(kind);
      if (!p) {
        p = drag(kind);
        dragCache.set(kind, p);
      }
      return p;
    },
    vaeMemory,
  };
}

export type PageBench = ReturnType<typeof createPageBench>;
