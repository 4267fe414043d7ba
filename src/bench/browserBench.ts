// The browser side of `npm run bench` (bench.html in the production build): runs workloads on a
// named tfjs backend in a worker, as the app does, and returns their figures. Not linked from
// the app; src/bench/models.ts drives it.
import { type Remote, wrap } from 'comlink';
import type { BackendName } from '../engine/backend/ladder';
import type { BackendWorkload, BenchWorkerApi } from './bench.worker';

async function adapterName(): Promise<string> {
  const gpu = (
    navigator as Navigator & {
      gpu?: {
        requestAdapter(): Promise<{
          info?: { vendor?: string; architecture?: string; description?: string };
        } | null>;
      };
    }
  ).gpu;
  const a = gpu ? await gpu.requestAdapter() : null;
  if (!a) return 'none';
  return (
    [a.info?.vendor, a.info?.architecture, a.info?.description].filter(Boolean).join(' ') ||
    'unknown'
  );
}

/** Runs `f` against a fresh bench worker, then ends the worker. */
async function inWorker<T>(f: (api: Remote<BenchWorkerApi>) => Promise<T>): Promise<T> {
  const w = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await f(wrap<BenchWorkerApi>(w));
  } finally {
    w.terminate();
  }
}

const api = {
  cores: () => navigator.hardwareConcurrency,
  adapter: adapterName,
  gmmTs: () => inWorker((w) => w.gmmTs()),
  ngram: () => inWorker((w) => w.ngram(new URL('data/austen.bin', document.baseURI).href)),
  tsSweep: (counts: number[]) => inWorker((w) => w.tsSweep(counts)),
  /** A fresh worker per call, so one backend's state never colours another's figures. */
  onBackend: (backend: BackendName, workload: BackendWorkload, counts: number[] = []) =>
    inWorker((w) =>
      w.onBackend(backend, workload, new URL('data/', document.baseURI).href, counts),
    ),
};

export type BrowserBenchApi = typeof api;
(window as unknown as { collapseBench: BrowserBenchApi }).collapseBench = api;
document.body.dataset.ready = 'true';
