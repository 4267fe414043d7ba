// The bench's per-backend workloads in Chromium: bench.html of the production build (tests'
// flags: WebGPU and WebGL through SwiftShader where no GPU exists), a fresh page and worker per
// workload and backend so one backend's state never colours another's figures.
import type { Page } from 'playwright-core';
import type { BackendName } from '../engine/backend/ladder';
import type { BackendWorkload } from './bench.worker';
import type { BrowserSession } from './browser';
import type { BrowserBenchApi } from './browserBench';
import { attempt, type Outcome, once, type SweepPoint } from './stats';
import { pairSweeps, SWEEP_CHAINS } from './workloads';

export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** Backends of the chain sweep in Chromium (WebGPU through SwiftShader is too slow to sweep). */
export const SWEEP_BACKENDS = ['wasm', 'webgl'] as const;
/**
 * Backends of the transformer's figures in Chromium: the ones its backend race picks from in
 * practice (plain cpu takes seconds per step at this size: Node's figures show it).
 */
export const TRANSFORMER_BACKENDS = ['webgpu', 'webgl', 'wasm'] as const;

type Api = BrowserBenchApi;

/** What each backend workload returns (see bench.worker.ts). */
export interface Results {
  gmmBatched: { msPerGeneration: number; timedGenerations: number };
  vaeStep: { msPerStep: number; rounds: number };
  diffusionStep: { msPerStep: number; rounds: number; hiddenSize: number };
  sweep: { chains: number; ms: number }[];
  transformerStep: { msPerStep: number; steps: number; batchSize: number };
  transformerGeneration: {
    tokensPerSecond: number;
    msPerCall: number;
    tokens: number;
    rounds: number;
  };
}

export interface ModelsBenchOptions {
  session: BrowserSession;
  log: (message: string) => void;
}

export function createModelsBench({ session, log }: ModelsBenchOptions) {
  /** Runs `f` on a fresh bench.html page. */
  const onPage = async <T>(f: (page: Page) => Promise<T>): Promise<T> => {
    const browser = await session.browser('swiftshader');
    const page = await browser.newPage();
    try {
      await page.goto(`${await session.base()}bench.html`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      return await f(page);
    } finally {
      await page.close();
    }
  };
  /** Calls `method` of the page's collapseBench with `args`, on a fresh page. */
  const call = <M extends keyof Api>(method: M, ...args: Parameters<Api[M]>) =>
    onPage(
      (page) =>
        page.evaluate(
          ([m, a]) =>
            (
              (window as never as { collapseBench: Record<string, (...x: unknown[]) => unknown> })
                .collapseBench[m] as (...x: unknown[]) => unknown
            )(...a),
          [method as string, args as unknown[]] as const,
        ) as Promise<Awaited<ReturnType<Api[M]>>>,
    );

  const info = once(async () => ({ cores: await call('cores'), adapter: await call('adapter') }));
  const tsSweep = once(() => {
    log('Chromium: GMM chain sweep on the TS engine…');
    return call('tsSweep', SWEEP_CHAINS);
  });
  const cache = new Map<string, Promise<Outcome<unknown>>>();
  const onBackend = <W extends BackendWorkload>(
    backend: BackendName,
    workload: W,
  ): Promise<Outcome<Results[W]>> => {
    const id = `${backend}:${workload}`;
    let p = cache.get(id);
    if (!p) {
      p = attempt(() => {
        log(`Chromium: ${workload} on ${backend}…`);
        return call('onBackend', backend, workload, SWEEP_CHAINS);
      });
      cache.set(id, p);
    }
    return p as Promise<Outcome<Results[W]>>;
  };

  return {
    info,
    gmmTs: once(() => {
      log('Chromium: GMM on the TS engine…');
      return call('gmmTs');
    }),
    ngram: once(() => {
      log('Chromium: the language model, 100,000 tokens per generation…');
      return call('ngram');
    }),
    onBackend,
    crossover: async (backend: BackendName): Promise<Outcome<SweepPoint[]>> => {
      const batched = await onBackend(backend, 'sweep');
      if (batched.error !== undefined) return { error: batched.error };
      return { value: pairSweeps(await tsSweep(), batched.value as Results['sweep']) };
    },
  };
}

export type ModelsBench = ReturnType<typeof createModelsBench>;
