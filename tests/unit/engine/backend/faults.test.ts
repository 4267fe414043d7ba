// Backend faults inside a worker (engine/backend/faults.ts, engine/job/context.ts, engine/worker/api.ts): a backend lost between
// two generations stops the run there, and a run that fails on a tfjs backend above plain
// JavaScript ends with a backend fault the page acts on; caps, cancels and plain JavaScript do not.
import { afterEach, describe, expect, it } from 'vitest';
import {
  backendFault,
  noteLost,
  registerTfjs,
  takeLost,
} from '../../../../src/engine/backend/faults';
import { BackendLost, RunCancelled } from '../../../../src/engine/job/context';
import type { RunEvent } from '../../../../src/engine/job/protocol';
import { createWorkerApi } from '../../../../src/engine/worker/api';

let backend: string | null = null;
registerTfjs(
  () => backend,
  () => 'injected',
);
afterEach(() => {
  backend = null;
  takeLost();
});

describe('backendFault', () => {
  it('is a fault on webgpu, webgl or wasm, and not on cpu, without tfjs, for a cap or a cancel', () => {
    backend = 'webgpu';
    expect(backendFault(new Error('Device is lost\nat …'))).toEqual({
      backend: 'webgpu',
      reason: 'Device is lost',
    });
    expect(backendFault(new RangeError('too big'))).toBeNull();
    expect(backendFault(new RunCancelled())).toBeNull();
    backend = 'cpu';
    expect(backendFault(new Error('x'))).toBeNull();
    backend = null;
    expect(backendFault(new Error('x'))).toBeNull();
  });
});

describe('a backend lost mid-run', () => {
  it('stops the run after the generation in flight and ends it with a backend fault', async () => {
    backend = 'webgl';
    const api = createWorkerApi({ yieldNow: () => new Promise((r) => setTimeout(r, 0)) });
    const shown: number[] = [];
    let noted = false;
    const end = await api.run(
      1,
      { version: 1, model: 'gaussian1d', generations: 400, replicates: 50 } as never,
      {},
      (_, e: RunEvent) => {
        if (e.type === 'batch') shown.push(...e.items.map((g) => g.generation));
        if (!noted) {
          noted = true;
          noteLost('WebGL context lost');
        }
      },
    );
    expect(end.status).toBe('error');
    expect(end.error).toBe('WebGL context lost');
    expect(end.backendFault).toEqual({ backend: 'webgl', reason: 'WebGL context lost' });
    // What was posted is every generation before the loss, in order; not the whole run.
    expect(shown).toEqual(shown.map((_, i) => i));
    expect(shown.length).toBeLessThan(401);
    // A loss names the backend it happened on, even once a model has moved down a rung.
    backend = 'webgpu';
    noteLost('Device was destroyed.');
    backend = 'webgl';
    expect(takeLost()).toEqual({ backend: 'webgpu', reason: 'Device was destroyed.' });
    expect(backendFault(new BackendLost({ backend: 'webgpu', reason: 'lost' }))).toEqual({
      backend: 'webgpu',
      reason: 'lost',
    });
  });
});
