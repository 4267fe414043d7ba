// @vitest-environment jsdom
// The live region speaks a run that ended before it mounted (the lab's run starts before its page
// is drawn, and a short run can be over by then), and speaks each run's end.
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppStore, createAppStore, StoreProvider } from '../../../src/state/store';
import { LiveSummary } from '../../../src/ui/LiveSummary';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const result = (generation: number, std: number) => ({
  generation,
  stats: { std: { mean: std, median: std, q05: std, q25: std, q75: std, q95: std } },
  chain: { training: { size: 1, synthetic: 0, real: 1 }, sample: null, shown: null },
});

function finishedRun(store: AppStore, generations: number) {
  const runId = store.getState().startRun();
  store.getState().appendResults(
    runId,
    Array.from({ length: generations }, (_, g) => result(g, 1 - g / 10)),
  );
  store.getState().finishRun(runId, 'done', 5);
}

let unmount: () => void = () => {};
function mount(store: AppStore): HTMLElement {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  act(() =>
    root.render(createElement(StoreProvider, { value: store }, createElement(LiveSummary))),
  );
  unmount = () => act(() => root.unmount());
  return host.querySelector('[data-testid="live-summary"]') as HTMLElement;
}

afterEach(() => unmount());

describe('the live summary', () => {
  it('speaks a run that ended before it mounted', () => {
    const store = createAppStore();
    finishedRun(store, 4);
    const region = mount(store);
    expect(region.textContent).toMatch(/^generation 3\b/);
  });

  it('stays quiet with nothing run, then speaks the run’s end', () => {
    const store = createAppStore();
    const region = mount(store);
    expect(region.textContent).toBe('');
    act(() => finishedRun(store, 3));
    expect(region.textContent).toMatch(/^generation 2\b/);
  });
});
