// Property-based tests of the worker boundary (engine/job/messages.ts, engine/worker/api.ts): hostile run
// requests are refused with the field named and run nothing; events and run ends of any shape are
// accepted only when well-formed, with the path of the first problem named; real events pass.
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkRunEnd, checkRunEvent, checkRunRequest } from '../../../../src/engine/job/messages';
import { readShippedData } from '../../../../src/engine/job/nodeJob';
import type { RunEvent } from '../../../../src/engine/job/protocol';
import { createWorkerApi } from '../../../../src/engine/worker/api';
import { checkRecipe } from '../../fuzz/checks';
import { assertNoPollution, hostileRecipe, hostileValue, runs } from '../../fuzz/hostile';

afterEach(assertNoPollution);

/** A key as messages name it: plain, or quoted (JSON) when odd. */
const KEY = String.raw`(?:[\w$]+|"(?:[^"\\]|\\.)*")`;
const REQUEST_ERROR = new RegExp(
  String.raw`^(jobId|recipe\.${KEY}(\.${KEY})?|options\.${KEY}(\.${KEY})*): `,
);

const api = () =>
  createWorkerApi({ yieldNow: async () => {}, loadData: async (n) => readShippedData(n) });

/** Real events of small runs of every kind: batches, parts, backend, notices. */
const real: RunEvent[] = [];
beforeAll(async () => {
  const push = (_: number, e: RunEvent) => real.push(e);
  const worker = api();
  // Requests arrive untyped, as from a page: the worker fills the defaults in.
  const run = worker.run as (j: number, r: unknown, o: unknown, e: typeof push) => Promise<unknown>;
  await run(1, { generations: 3, replicates: 4, samplesPerGeneration: 20 }, {}, push);
  await run(2, { generations: 2, replicates: 6 }, { chains: [2, 5] }, push);
  await run(
    3,
    { model: 'gmm', generations: 2, replicates: 3, samplesPerGeneration: 60, engine: 'ts' },
    {},
    push,
  );
  await run(
    4,
    { generations: 2, replicates: 3, filter: { truePositiveRate: 1 }, curation: { keep: 0.5 } },
    {},
    push,
  );
});

/** A copy of `event` with the value at one random path replaced by a hostile one. */
function mutate(event: unknown, path: number[], value: unknown): unknown {
  const copy = structuredClone(event);
  let node = copy as Record<string, unknown>;
  for (let d = 0; d < path.length; d++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[path[d] % keys.length];
    const child = node[k];
    if (
      d === path.length - 1 ||
      typeof child !== 'object' ||
      child === null ||
      ArrayBuffer.isView(child)
    ) {
      node[k] = value;
      return copy;
    }
    node = child as Record<string, unknown>;
  }
  return copy;
}

describe('worker messages under fuzzing', { timeout: 120_000 }, () => {
  it('takes every real event and run end', () => {
    expect(real.map((e) => e.type)).toEqual(expect.arrayContaining(['batch', 'parts']));
    for (const e of real) expect(checkRunEvent(e)).toMatchObject({ ok: true });
    expect(checkRunEnd({ jobId: 1, status: 'done', elapsedMs: 3, computeMs: 2 }).ok).toBe(true);
  });

  it('refuses hostile events with the path named, and never throws', () => {
    let refused = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          hostileValue,
          fc
            .tuple(fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), hostileValue)
            .map(([i, path, v]) => mutate(real[i % real.length], path, v)),
        ),
        (event) => {
          const r = checkRunEvent(event);
          if (!r.ok) {
            refused++;
            // A path of plain or quoted keys, then the problem.
            expect(r.error).toMatch(new RegExp(`^${KEY}(\\.${KEY})*: `));
            expect(r.error).not.toMatch(/[\r\n]/);
          }
        },
      ),
      { numRuns: runs(3000) },
    );
    expect(refused).toBeGreaterThan(0);
  });

  it('refuses hostile run ends', () => {
    fc.assert(
      fc.property(hostileValue, (end) => {
        const r = checkRunEnd(end);
        if (!r.ok) expect(r.error).toMatch(/^[^\s:]+: /);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('refuses hostile run requests naming jobId, recipe.<field> or options.<field>', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(fc.nat(), hostileValue),
        fc.oneof(hostileRecipe, hostileValue),
        fc.oneof(
          hostileValue,
          fc.record({ chains: fc.oneof(hostileValue, fc.tuple(fc.integer(), fc.integer())) }),
          fc.record({ backend: hostileValue, from: hostileValue }, { requiredKeys: [] }),
        ),
        (jobId, recipe, options) => {
          const r = checkRunRequest(jobId, recipe, options);
          if (r.ok) {
            accepted++;
            checkRecipe(r.value.recipe);
          } else expect(r.error).toMatch(REQUEST_ERROR);
        },
      ),
      { numRuns: runs(3000) },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('answers a malformed run request with an error and runs nothing', async () => {
    const worker = api();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileValue, fc.double()),
        hostileRecipe,
        async (jobId, recipe) => {
          fc.pre(!checkRunRequest(jobId, recipe, {}).ok);
          const events: unknown[] = [];
          const end = await worker.run(jobId as number, recipe as never, {}, (_, e) => {
            events.push(e);
          });
          expect(end.status).toBe('error');
          expect(end.error).toMatch(
            new RegExp(`^refused a malformed run: ${REQUEST_ERROR.source.slice(1)}`),
          );
          expect(events).toEqual([]);
        },
      ),
      { numRuns: runs(500) },
    );
  });
});
