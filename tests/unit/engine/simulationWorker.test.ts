// The prewarmed simulation worker: a page's entry starts one, and the page's first pool worker takes
// it over — unless it failed before then, when the page gets a fresh one and the failed one is
// ended. Run against a stand-in Worker class (Node has none).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

class FakeWorker extends EventTarget {
  static made: FakeWorker[] = [];
  terminated = false;
  constructor(
    readonly url: URL,
    readonly options: WorkerOptions,
  ) {
    super();
    FakeWorker.made.push(this);
  }
  terminate() {
    this.terminated = true;
  }
}

async function load() {
  vi.resetModules();
  return import('../../../src/engine/simulationWorker');
}

beforeEach(() => {
  FakeWorker.made = [];
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the prewarmed simulation worker', () => {
  it('is taken over by the first taker; later takers get fresh module workers', async () => {
    const m = await load();
    m.prewarmSimulationWorker();
    m.prewarmSimulationWorker(); // once only
    expect(FakeWorker.made).toHaveLength(1);
    const first = m.takeSimulationWorker() as unknown as FakeWorker;
    expect(first).toBe(FakeWorker.made[0]);
    expect(first.options).toEqual({ type: 'module' });
    expect(String(first.url)).toMatch(/simulation\.worker\.ts$/);
    const second = m.takeSimulationWorker() as unknown as FakeWorker;
    expect(second).not.toBe(first);
    expect(FakeWorker.made).toHaveLength(2);
  });

  it('is replaced by a fresh one, and ended, when it failed before it was taken', async () => {
    const m = await load();
    m.prewarmSimulationWorker();
    const failed = FakeWorker.made[0];
    failed.dispatchEvent(new Event('error'));
    const taken = m.takeSimulationWorker() as unknown as FakeWorker;
    expect(taken).not.toBe(failed);
    expect(failed.terminated).toBe(true);
  });

  it('spawns on demand when nothing was prewarmed', async () => {
    const m = await load();
    expect(m.takeSimulationWorker()).toBe(FakeWorker.made[0]);
  });
});
