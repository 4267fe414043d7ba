// Worker faults in the pool (engine/pool/pool.ts): a worker that fails (its error or messageerror
// event), or goes silent (killed: the watchdog notices), is replaced by a fresh one that replays
// its chains without posting what the page has, so the run ends with the very numbers of an
// uninterrupted run, and the reader gets a notice. Fake workers run the real worker API
// in-process (engine/worker/api.ts) and die on cue.
import { describe, expect, it } from 'vitest';
import type { GenerationResult } from '../../../../src/core/generation/types';
import { type AnyRecipe, parseRecipe } from '../../../../src/core/recipe';
import { readShippedData } from '../../../../src/engine/job/nodeJob';
import type { RunEvent, RunOptions } from '../../../../src/engine/job/protocol';
import { createSimulationClient, type WorkerHandle } from '../../../../src/engine/pool/pool';
import { createWorkerApi } from '../../../../src/engine/worker/api';

type Death = 'error' | 'messageerror' | 'silent' | 'garbage' | 'gpu';

function recipe(raw: Record<string, unknown>): AnyRecipe {
  const p = parseRecipe(raw);
  if (!p.ok) throw new Error(p.error);
  return p.recipe;
}

/**
 * Worker factory: the workers named in `deaths` (by creation order) die as told once they have
 * posted generation `at`; the others are healthy. Returns the factory and a count of workers made.
 */
function fakeWorkers(deaths: Record<number, Death>, at: number) {
  let made = 0;
  /** The options of every run asked of any worker, in order. */
  const asked: RunOptions[] = [];
  const create = (): WorkerHandle => {
    let death: Death | undefined = deaths[made++];
    const inner = createWorkerApi({
      yieldNow: () => new Promise((r) => setTimeout(r, 0)),
      loadData: async (n) => readShippedData(n),
    });
    let dead = false;
    let gpuFault = false;
    let fail: (why: string) => void = () => {};
    const never = new Promise<never>(() => {});
    return {
      api: {
        run(jobId, r, options, onEvent) {
          const run = inner.run(jobId, r, options, (id, event) => {
            if (dead) return;
            const items = event.type === 'batch' || event.type === 'parts' ? event.items : null;
            if (!death || !items?.some((g) => g.generation >= at)) return onEvent(id, event);
            // Post what came before generation `at`, then die.
            const before = (items as { generation: number }[]).filter((g) => g.generation < at);
            if (before.length) onEvent(id, { ...event, items: before } as RunEvent);
            if (death === 'garbage') {
              death = undefined; // once
              onEvent(id, { type: 'batch', items: [{ generation: -1 }] } as unknown as RunEvent);
              return onEvent(id, {
                ...event,
                items: items.filter((g) => g.generation >= at),
              } as RunEvent);
            }
            if (death === 'gpu') {
              // The worker's backend failed: it stops and answers with a backend fault.
              gpuFault = true;
              inner.cancel(jobId);
              return;
            }
            dead = true;
            inner.cancel(jobId);
            if (death === 'error') fail('Uncaught RangeError: out of memory');
            if (death === 'messageerror') fail('a message from it could not be read');
          });
          asked.push(options);
          // A dead worker never answers.
          return run.then((end) =>
            dead
              ? never
              : gpuFault
                ? {
                    ...end,
                    status: 'error' as const,
                    error: 'GPU device lost',
                    backendFault: { backend: 'webgpu', reason: 'GPU device lost' },
                  }
                : end,
          );
        },
        cancel: (jobId) => inner.cancel(jobId),
        ping: () => (dead ? never : inner.ping()),
      },
      onFailure(callback) {
        fail = callback;
      },
      terminate() {
        dead = true;
      },
    };
  };
  return { create, made: () => made, asked };
}

async function runWith(r: AnyRecipe, size: number, deaths: Record<number, Death>, at = 5) {
  const workers = fakeWorkers(deaths, at);
  // A short watchdog only where a worker goes silent: a busy in-process worker answers no ping.
  const silent = Object.values(deaths).includes('silent');
  const client = createSimulationClient({
    size,
    createWorker: workers.create,
    watchdogMs: silent ? 300 : 60_000,
    maxRestarts: 2,
  });
  const results: GenerationResult[] = [];
  const notices: string[] = [];
  const end = await client.run(r, {}, (e) => {
    if (e.type === 'batch') results.push(...e.items);
    if (e.type === 'notice') notices.push(e.notice.message);
  });
  return { end, results, notices, made: workers.made(), asked: workers.asked };
}

const gaussian = recipe({ generations: 12, replicates: 9, samplesPerGeneration: 40, seed: 7 });
const gmm = recipe({
  model: 'gmm',
  generations: 6,
  replicates: 4,
  samplesPerGeneration: 80,
  engine: 'ts',
  seed: 3,
});

describe('a worker that dies mid-run', { timeout: 120_000 }, () => {
  it.each([
    ['error', 3, gaussian],
    ['messageerror', 3, gaussian],
    ['silent', 3, gaussian],
    ['error', 1, gaussian],
    ['silent', 1, gaussian],
    ['error', 2, gmm],
  ] as const)(
    '(%s, a pool of %i) is replaced and the run ends with the clean numbers',
    async (death, size, r) => {
      const clean = await runWith(r, size, {});
      expect(clean.end.status).toBe('done');
      // The second worker made (or the only one) dies after posting generations 0–4.
      const victim = size > 1 ? 1 : 0;
      const hurt = await runWith(r, size, { [victim]: death });
      expect(hurt.end.status).toBe('done');
      expect(hurt.made).toBe(Math.min(size, r.replicates) + 1);
      expect(hurt.results.map((g) => g.generation)).toEqual(clean.results.map((g) => g.generation));
      expect(hurt.results.map((g) => g.stats)).toEqual(clean.results.map((g) => g.stats));
      expect(hurt.results.map((g) => g.chain.training)).toEqual(
        clean.results.map((g) => g.chain.training),
      );
      // The run's own notices once each (the replay does not repeat them), and the worker's.

      const fault = hurt.notices.filter((n) => !clean.notices.includes(n));

      expect([...hurt.notices].sort()).toEqual([...clean.notices, ...fault].sort());

      expect(fault).toHaveLength(1);

      expect(fault[0]).toMatch(
        /^The simulation worker stopped \(.+\); a fresh worker took over and the run goes on from generation 5 with the same numbers\.$/,
      );
    },
  );

  it('ends as an error naming the cause when every fresh worker dies too', async () => {
    const r = await runWith(gaussian, 1, { 0: 'error', 1: 'error', 2: 'error' });
    expect(r.end.status).toBe('error');
    expect(r.end.error).toBe(
      'the simulation worker stopped 3 times (last: Uncaught RangeError: out of memory)',
    );
    // What was finished before the first death is kept.
    expect(r.results.map((g) => g.generation)).toEqual([0, 1, 2, 3, 4]);
  });

  it('ignores a malformed message with a notice naming it, and goes on', async () => {
    const clean = await runWith(gaussian, 1, {});
    const r = await runWith(gaussian, 1, { 0: 'garbage' });
    expect(r.end.status).toBe('done');
    expect(r.made).toBe(1);
    expect(r.results.map((g) => g.stats)).toEqual(clean.results.map((g) => g.stats));
    expect(r.notices).toEqual([
      'Ignored a malformed message from the worker (items.0.generation: Too small: expected number to be >=0).',
    ]);
  });

  it('after a backend fault, goes on from the next generation on the next rung, with a notice', async () => {
    const clean = await runWith(gaussian, 1, {});
    const r = await runWith(gaussian, 1, { 0: 'gpu' });
    expect(r.end.status).toBe('done');
    expect(r.made).toBe(2);
    // The fresh worker is asked for the next rung and to post from generation 5 on.
    expect(r.asked).toEqual([{}, { backend: 'webgl', from: 5 }]);
    expect(r.results.map((g) => g.stats)).toEqual(clean.results.map((g) => g.stats));
    expect(r.notices).toEqual([
      'WebGPU failed (GPU device lost); the run goes on from generation 5 on WebGL (or the next backend that works), which recomputes the earlier generations.',
    ]);
  });
});
