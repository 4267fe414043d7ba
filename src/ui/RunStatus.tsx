// The run's status (and what the run left out or reported), and messages about the recipe.
import { forRecipe } from '../core/recipe';
import { useStore } from '../state/store';
import { RunProgress } from './RunProgress';

export function RunStatus() {
  const status = useStore((s) => s.status);
  const elapsed = useStore((s) => s.elapsedMs);
  const error = useStore((s) => s.runError);
  const { generations, replicates } = useStore((s) => s.recipe);
  const note = useStore((s) => forRecipe(s.recipe).theoryNote?.(s.recipe) ?? null);
  if (status === 'cancelled') {
    return (
      <p className="run-status" data-testid="run-status">
        Stopped. Change a setting or press a preset to run again.
      </p>
    );
  }
  if (status === 'error') {
    return (
      <p className="run-status error" role="alert" data-testid="run-error">
        The simulation failed: {error}. Change a setting to try again.
      </p>
    );
  }
  return (
    <>
      <p className="run-status" data-testid="run-status">
        {status === 'done' && elapsed !== null
          ? `${(generations + 1).toLocaleString('en')} generations × ${replicates.toLocaleString('en')} chains simulated in your browser in ${Math.round(elapsed)} ms.`
          : 'Simulating…'}
        {note ? ` ${note}` : ''}
      </p>
      <RunProgress />
    </>
  );
}

export function Messages() {
  const messages = useStore((s) => s.messages);
  const dismiss = useStore((s) => s.dismissMessages);
  if (messages.length === 0) return null;
  return (
    <div className="messages" role="status" data-testid="messages">
      <ul>
        {messages.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss} aria-label="Dismiss messages">
        ×
      </button>
    </div>
  );
}

/** What the run left out (numbers that were not numbers) or reported (refits, fallbacks). */
export function RunNotes() {
  const notes = useStore((s) => s.notes);
  if (notes.length === 0) return null;
  return (
    <div className="run-notes" role="note" data-testid="run-notes">
      <strong>Notes on this run</strong>
      <ul>
        {notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  );
}
