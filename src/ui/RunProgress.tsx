// Progress of any run that takes more than a moment, for every model: the share of generations
// done, an ETA from the pace so far, and Cancel. Models that train for a while show their own
// detailed progress (TrainingProgress.tsx, from the worker's progress events); this one stays out
// of their way.
import { useEffect, useState } from 'react';
import { useStore } from '../state/store';
import { fmtDuration } from './progress';

/** Runs shorter than this show no progress bar (it would only flash). */
export const SHOW_AFTER_MS = 2000;

export function RunProgress() {
  const status = useStore((s) => s.status);
  const runId = useStore((s) => s.runId);
  const detailed = useStore((s) => s.progress !== null);
  const done = useStore((s) => s.results.length);
  const generations = useStore((s) => s.recipe.generations);
  const cancel = useStore((s) => s.requestCancel);
  const [start, setStart] = useState({ runId, t: performance.now() });
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    setStart({ runId, t: performance.now() });
  }, [runId]);
  useEffect(() => {
    if (status !== 'running') return;
    const timer = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(timer);
  }, [status]);
  const elapsed = now - start.t;
  if (status !== 'running' || detailed || start.runId !== runId || elapsed < SHOW_AFTER_MS)
    return null;
  const total = generations + 1;
  const fraction = Math.min(1, done / total);
  const eta = done > 0 ? (elapsed * (total - done)) / done : null;
  return (
    <div className="run-progress" data-testid="run-progress" role="status" aria-live="polite">
      <span data-testid="run-progress-label">
        {done.toLocaleString('en')} of {total.toLocaleString('en')} generations
        {eta !== null ? <span data-testid="run-eta"> — about {fmtDuration(eta)} left</span> : null}
      </span>
      <progress
        max={1}
        value={fraction}
        aria-label={`${Math.round(fraction * 100)} % of the run`}
      />
      <button type="button" data-testid="run-cancel" onClick={cancel}>
        Cancel
      </button>
    </div>
  );
}
