// Mounts a chart factory on an element (an <svg>, or a <canvas> for pixels), keeps it as wide as
// its container, and feeds it from the store through a subscription (no React re-render per
// streamed generation), at most once per animation frame: workers may stream results faster than
// a frame, and drawing each batch would starve the page.
import { useEffect, useRef } from 'react';
import { FIRST_CHART_MARK } from '../bench/marks';
import type { Chart } from '../charts/frame';
import { type AppState, useStoreApi } from '../state/store';

/** Whether a store change can change what a chart (or its data table) shows. */
export function chartInputsChanged(state: AppState, prev: AppState): boolean {
  return (
    state.results !== prev.results ||
    state.variants !== prev.variants ||
    state.comparison !== prev.comparison ||
    state.resultsModel !== prev.resultsModel ||
    state.cursor !== prev.cursor ||
    state.recipe !== prev.recipe
  );
}

export function useChart<D, E extends Element = SVGSVGElement>(
  create: (element: E) => Chart<D>,
  select: (state: AppState) => D | null,
  describe: (state: AppState) => string,
  height: number,
) {
  const ref = useRef<E>(null);
  const store = useStoreApi();
  // The factories and selectors are module-level constants or stable closures; read them once.
  const fns = useRef({ create, select, describe });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const { create, select, describe } = fns.current;
    const chart = create(element);
    const container = element.parentElement as HTMLElement;
    let width = Math.floor(container.clientWidth) || 400;
    const feed = (state: AppState) => {
      const data = select(state);
      if (data) {
        chart.update(data);
        // For `npm run bench`: when the reader first sees a drawn chart.
        if (performance.getEntriesByName(FIRST_CHART_MARK).length === 0)
          performance.mark(FIRST_CHART_MARK);
      }
      element.setAttribute('aria-label', describe(state));
    };
    // Only width changes resize: a chart that grows taller must not feed back into itself.
    const observer = new ResizeObserver(() => {
      const w = Math.floor(container.clientWidth);
      if (w === width || w === 0) return;
      width = w;
      chart.resize(width, height);
    });
    chart.resize(width, height);
    feed(store.getState());
    observer.observe(container);
    let frame = 0;
    const unsubscribe = store.subscribe((state, prev) => {
      if (frame === 0 && chartInputsChanged(state, prev)) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          feed(store.getState());
        });
      }
    });
    return () => {
      cancelAnimationFrame(frame);
      unsubscribe();
      observer.disconnect();
      chart.destroy();
    };
  }, [height, store]);
  return ref;
}
