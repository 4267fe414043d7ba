// The bench's Chromium driver: serves a production build (built here, or another one with
// --dist), launches Debian's Chromium on first use — with the tests' flags (WebGPU and GL
// through SwiftShader) or as a reader without a GPU has it (software compositing) — and opens
// pages with the probes the page figures read.
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build, preview } from 'vite';
import { launchChromium, SOFTWARE_ARGS } from '../cli/chromium';
import { RUN_DONE_MARK, type RunDoneDetail, VAE_TRAINING_MARK } from '../state/marks';
import { once } from './stats';

export interface AppServerOptions {
  /** Serve this build instead of building the app here. */
  dist?: string;
  /** Skip the build (dist/ is current). */
  noBuild?: boolean;
  log: (message: string) => void;
}

/** The two Chromiums the figures run in, each launched on first use. */
export type BrowserKind = 'swiftshader' | 'software';

export function createBrowserSession({ dist, noBuild, log }: AppServerOptions) {
  let serving = false;
  const server = once(async () => {
    serving = true;
    if (!dist && !noBuild) {
      log('building the app…');
      await build({ logLevel: 'error' });
    }
    return preview({
      preview: { host: '127.0.0.1', port: 0 },
      ...(dist ? { build: { outDir: resolve(dist) } } : {}),
      logLevel: 'error',
    });
  });
  const browsers: Record<BrowserKind, () => Promise<Browser>> = {
    swiftshader: once(() => launchChromium()),
    software: once(() => launchChromium(SOFTWARE_ARGS)),
  };
  const launched = new Set<BrowserKind>();
  return {
    /** The served build's base URL, ending in '/'. */
    base: once(async () => {
      const s = await server();
      return `http://127.0.0.1:${(s.httpServer.address() as AddressInfo).port}/`;
    }),
    browser(kind: BrowserKind): Promise<Browser> {
      launched.add(kind);
      return browsers[kind]();
    },
    /** Which build is served, for the report. */
    dist: resolve(dist ?? 'dist'),
    async close() {
      for (const kind of launched) await (await browsers[kind]()).close();
      if (serving) await (await server()).close();
    },
  };
}

export type BrowserSession = ReturnType<typeof createBrowserSession>;

/**
 * Marks the bench's probe sets on transformer pages (the app sets none of its own for them): its
 * progress element first on screen (the run has started), first in the 'training' phase (the
 * tokeniser, base and text are loaded and the backend chosen), and generation 0's passage first on
 * screen (the first generation's text: the issue's aim is within 10 s of pressing play).
 */
export const TRANSFORMER_MARKS = {
  progress: 'bench-transformer-progress',
  training: 'bench-transformer-training',
  firstText: 'bench-transformer-first-text',
} as const;

/**
 * Installed before any page script: long tasks (PerformanceObserver, buffered), a
 * requestAnimationFrame counter and an input-event counter that record while `recording`, and on
 * VAE pages the VAE_TRAINING_MARK when the progress element first says it is training (its
 * data-phase; the data are loaded and the backend chosen), and on transformer pages
 * TRANSFORMER_MARKS. A string, not a function: tsx would
 * wrap named functions in a helper the page lacks.
 */
export const PAGE_PROBES = `(() => {
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
      const progress = document.querySelector('[data-testid="vae-progress"]');
      if (progress && progress.getAttribute('data-phase') === 'training') {
        performance.mark(${JSON.stringify(VAE_TRAINING_MARK)});
        watch.disconnect();
      }
    });
    watch.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
  }
  if (location.hash.includes('model=transformer')) {
    const marks = ${JSON.stringify(TRANSFORMER_MARKS)};
    const seen = new Set();
    const mark = (name) => { if (!seen.has(name)) { seen.add(name); performance.mark(name); } };
    const watch = new MutationObserver(() => {
      const progress = document.querySelector('[data-testid="transformer-progress"]');
      if (progress) mark(marks.progress);
      if (progress && progress.getAttribute('data-phase') === 'training') mark(marks.training);
      const text = document.querySelector('[data-testid="transformer-passage-0"]');
      if (text && text.textContent.trim() !== '') mark(marks.firstText);
      if (seen.size === 3) watch.disconnect();
    });
    watch.observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-phase'] });
  }
})();`;

export interface Probes {
  longTasks: { start: number; duration: number }[];
  frames: number[];
  inputs: number;
  recording: boolean;
}

/** A page in a fresh context (a cold cache) with PAGE_PROBES, opened at `url`. */
export async function probedPage(
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

/** Waits until the page has set the mark `name` (at least `count` times). */
export function waitForMark(page: Page, name: string, timeout: number, count = 1) {
  return page.waitForFunction(
    ([n, c]) => performance.getEntriesByName(n as string).length >= (c as number),
    [name, count] as const,
    { timeout },
  );
}

/** The first RUN_DONE_MARK: when it was set (ms since navigation) and its detail. */
export async function runDone(page: Page): Promise<{ at: number; detail: RunDoneDetail }> {
  return page.evaluate((name) => {
    const m = performance.getEntriesByName(name)[0] as PerformanceMark;
    return { at: m.startTime, detail: m.detail as RunDoneDetail };
  }, RUN_DONE_MARK);
}

/** The simulation workers the page has started (the pool starts them as runs need them). */
export function simulationWorkers(page: Page): number {
  return page.workers().filter((w) => w.url().includes('simulation.worker')).length;
}

/** The backend badge's backend, if the page shows one. */
export async function badgeBackend(page: Page): Promise<string | null> {
  return page
    .getByTestId('backend-badge')
    .first()
    .getAttribute('data-backend', { timeout: 1000 })
    .catch(() => null);
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
}

/**
 * The longest task (ms) on the page's main thread between two user-timing marks, from a trace of
 * the 'toplevel' category (every task, not only those over 50 ms), or null when a mark is
 * missing. The marks name the thread.
 */
export function longestTraceTask(trace: Buffer | string, from: string, to: string): number | null {
  const parsed = JSON.parse(trace.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
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

/**
 * Sends `methods` one after another to the page's (only) simulation worker and returns the last
 * one's result. Playwright's CDP sessions reach pages, not workers: this goes through a browser
 * session and the (non-flattened) Target.sendMessageToTarget.
 */
export async function inSimulationWorker<T>(
  browser: Browser,
  base: string,
  methods: string[],
): Promise<T> {
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
