// A polite live region that tells screen-reader users how the run goes: the shown generation in
// words, at most every few seconds (each streamed generation would be a flood), and once more when
// the run ends or playback stops. It also speaks on mounting: the lab's run starts before its
// page is drawn, and a short run can end before this component subscribes.
import { useEffect, useState } from 'react';
import { type AppState, shownGeneration, useStoreApi } from '../state/store';
import { describeGeneration } from './generationSummary';

/** Shortest time between two announcements. */
export const ANNOUNCE_EVERY_MS = 3000;

function current(s: AppState): string {
  const g = shownGeneration(s);
  const r = s.results[g];
  return r ? describeGeneration(s.resultsModel, g, r.stats, s.results[0]?.stats) : '';
}

export function LiveSummary() {
  const [text, setText] = useState('');
  const store = useStoreApi();
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const announce = () => {
      timer = undefined;
      last = performance.now();
      setText(current(store.getState()));
    };
    const unsubscribe = store.subscribe((s, prev) => {
      const settled =
        (s.status !== prev.status && s.status !== 'running') || (prev.playing && !s.playing);
      if (settled) {
        clearTimeout(timer);
        announce();
        return;
      }
      if (s.results === prev.results && s.cursor === prev.cursor) return;
      if (timer === undefined)
        timer = setTimeout(announce, Math.max(0, last + ANNOUNCE_EVERY_MS - performance.now()));
    });
    if (store.getState().results.length > 0) announce();
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [store]);
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="live-summary">
      {text}
    </div>
  );
}
