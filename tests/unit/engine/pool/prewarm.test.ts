// The prewarmed simulation workers: a page's entry starts those its pool will want, and the pool
// takes them over — a failed one is replaced by a fresh one and ended, and those never taken are
// ended after a while. Run against a stand-in Worker class (Node has none).
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
  return import('../../../../src/engine/pool/prewarm');
}

beforeEach(() => {
  FakeWorker.made = [];
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the prewarmed simulation workers', () => {
  it('are taken over by the first takers; later takers get fresh module workers', async () => {
    const m = await load();
    m.prewarmSimulationWorkers(2);
    m.prewarmSimulationWorkers(2); // once only
    expect(FakeWorker.made).toHaveLength(2);
    const first = m.takeSimulationWorker() as unknown as FakeWorker;
    const second = m.takeSimulationWorker() as unknown as FakeWorker;
    expect([first, second]).toEqual(FakeWorker.made);
    expect(first.options).toEqual({ type: 'module' });
    expect(String(first.url)).toMatch(/simulation\.worker\.ts$/);
    const third = m.takeSimulationWorker() as unknown as FakeWorker;
    expect(FakeWorker.made).toHaveLength(3);
    expect(third).toBe(FakeWorker.made[2]);
  });

  it('are replaced by a fresh one, and ended, when one failed before it was taken', async () => {
    const m = await load();
    m.prewarmSimulationWorkers(2);
    const [failed, well] = FakeWorker.made;
    failed.dispatchEvent(new Event('error'));
    expect(m.takeSimulationWorker()).toBe(well);
    expect(failed.terminated).toBe(true);
    const fresh = m.takeSimulationWorker() as unknown as FakeWorker;
    expect(FakeWorker.made).toHaveLength(3);
    expect(fresh).toBe(FakeWorker.made[2]);
  });

  it('are ended when the page has not taken them in time, and not once taken', async () => {
    vi.useFakeTimers();
    const m = await load();
    m.prewarmSimulationWorkers(3);
    const taken = m.takeSimulationWorker() as unknown as FakeWorker;
    vi.advanceTimersByTime(m.SPARE_LIFETIME_MS - 1);
    expect(FakeWorker.made.map((w) => w.terminated)).toEqual([false, false, false]);
    vi.advanceTimersByTime(1);
    expect(taken.terminated).toBe(false);
    expect(FakeWorker.made.slice(1).map((w) => w.terminated)).toEqual([true, true]);
    // A later taker gets a fresh worker.
    expect(m.takeSimulationWorker()).toBe(FakeWorker.made[3]);
  });

  it('spawn on demand when nothing was prewarmed', async () => {
    const m = await load();
    expect(m.takeSimulationWorker()).toBe(FakeWorker.made[0]);
  });
});

describe('poolSize', () => {
  it('is one worker per core, from 1 to 8, capped by ?workers=', async () => {
    const { poolSize } = await load();
    expect(poolSize(2)).toBe(2);
    expect(poolSize(1)).toBe(1);
    expect(poolSize(64)).toBe(8);
    expect(poolSize(undefined)).toBe(2);
    expect(poolSize(8, '3')).toBe(3);
    expect(poolSize(2, '5')).toBe(2);
    expect(poolSize(4, 'x')).toBe(4);
  });
});
