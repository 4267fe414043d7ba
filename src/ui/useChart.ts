// Mounts a D3 chart factory on an <svg>, keeps it sized to its container, and feeds it from the
// store through a subscription (no React re-render per streamed generation).
import { useEffect, useRef } from 'react';
import type { Chart } from '../charts/frame';
import { type AppState, useStore } from '../state/store';

export function useChart<D>(
  create: (svg: SVGSVGElement) => Chart<D>,
  select: (state: AppState) => D | null,
  describe: (state: AppState) => string,
  height: number,
) {
  const ref = useRef<SVGSVGElement>(null);
  // The factories and selectors are module-level constants in callers; read them once.
  const fns = useRef({ create, select, describe });
  useEffect(() => {
    const svg = ref.current;
    if (!svg) return;
    const { create, select, describe } = fns.current;
    const chart = create(svg);
    const container = svg.parentElement as HTMLElement;
    const feed = (state: AppState) => {
      const data = select(state);
      if (data) {
        chart.update(data);
        // For `npm run bench`: when the reader first sees a drawn chart.
        if (performance.getEntriesByName('first-chart').length === 0)
          performance.mark('first-chart');
      }
      svg.setAttribute('aria-label', describe(state));
    };
    const observer = new ResizeObserver(() => {
      chart.resize(Math.floor(container.clientWidth), height);
    });
    chart.resize(Math.floor(container.clientWidth) || 400, height);
    feed(useStore.getState());
    observer.observe(container);
    const unsubscribe = useStore.subscribe((state, prev) => {
      if (
        state.results !== prev.results ||
        state.cursor !== prev.cursor ||
        state.theory !== prev.theory ||
        state.recipe !== prev.recipe
      ) {
        feed(state);
      }
    });
    return () => {
      unsubscribe();
      observer.disconnect();
      chart.destroy();
    };
  }, [height]);
  return ref;
}
