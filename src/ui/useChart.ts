// Mounts a chart factory on an element (an <svg>, or a <canvas> for pixels), keeps it as wide as
// its container, and feeds it from the store through a subscription (no React re-render per
// streamed generation), at most once per animation frame: workers may stream results faster than
// a frame, and drawing each batch would starve the page.
import { useEffect, useRef } from 'react';
import type { Chart } from '../charts/frame';
import { FIRST_CHART_MARK, PRERENDERED_ATTRIBUTE } from '../state/marks';
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
    const container = element.parentElement as HTMLElement;
    let width = Math.floor(container.clientWidth) || 400;
    // A chart the build drew (ui/prerendered.tsx) stays as drawn until this tab's run has data
    // for it: then it is cleared and the live chart takes over.
    let chart: Chart<D> | null = null;
    const live = (): Chart<D> => {
      if (chart) return chart;
      if (element.hasAttribute(PRERENDERED_ATTRIBUTE)) {
        element.removeAttribute(PRERENDERED_ATTRIBUTE);
        element.replaceChildren();
      }
      chart = create(element);
      chart.resize(width, height);
      return chart;
    };
    const feed = (state: AppState) => {
      const data = select(state);
      if (data) {
        live().update(data);
        // For `npm run bench`: when the reader first sees a chart drawn in the tab.
        if (performance.getEntriesByName(FIRST_CHART_MARK).length === 0)
          performance.mark(FIRST_CHART_MARK);
      }
      if (chart) element.setAttribute('aria-label', describe(state));
    };
    // Only width changes resize: a chart that grows taller must not feed back into itself.
    const observer = new ResizeObserver(() => {
      const w = Math.floor(container.clientWidth);
      if (w === width || w === 0) return;
      width = w;
      chart?.resize(width, height);
    });
    if (!element.hasAttribute(PRERENDERED_ATTRIBUTE)) live();
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
      chart?.destroy();
    };
  }, [height, store]);
  return ref;
}
