// Numbers at the shown generation, the run's status, and any messages about the recipe.
import { resultsOf, shownGeneration, useStore } from '../state/store';
import { fmt } from './format';

export function Readout() {
  const g = useStore(shownGeneration);
  const r = useStore((s) => resultsOf(s, 'gaussian1d')[shownGeneration(s)]);
  const theory = useStore((s) => s.theory?.points[shownGeneration(s)]);
  const curve = useStore((s) => s.theory?.stdCurve);
  const replicates = useStore((s) => s.recipe.replicates);
  if (!r) return <div className="readout" aria-busy="true" />;
  const t = r.chain.training;
  const theoryStd = theory
    ? curve === 'median'
      ? theory.stdMedian
      : Math.sqrt(theory.variance)
    : undefined;
  return (
    <dl className="readout" data-testid="readout">
      <div>
        <dt>Median σ at generation {g}</dt>
        <dd>
          <span className="big" data-testid="std-median">
            {fmt(r.stats.std.median)}
          </span>{' '}
          <span className="sub">
            5–95 %: {fmt(r.stats.std.q05)}–{fmt(r.stats.std.q95)} over {replicates} chains
          </span>
        </dd>
      </div>
      <div>
        <dt>{curve === 'median' ? 'Theory: median σ' : 'Theory: √E[σ²]'}</dt>
        <dd>
          <span className="big" data-testid="std-theory">
            {fmt(theoryStd)}
          </span>
        </dd>
      </div>
      <div>
        <dt>Tail mass P(|x| &gt; 1.96)</dt>
        <dd>
          <span className="big" data-testid="tail-median">
            {fmt(r.stats.tailMass.median)}
          </span>{' '}
          <span className="sub">real: 0.050</span>
        </dd>
      </div>
      <div>
        <dt>Chain 1 trained on</dt>
        <dd>
          <span className="sub">
            {t.size.toLocaleString('en')} points: {t.synthetic.toLocaleString('en')} synthetic,{' '}
            {t.real.toLocaleString('en')} real
          </span>
        </dd>
      </div>
    </dl>
  );
}

export function RunStatus() {
  const status = useStore((s) => s.status);
  const elapsed = useStore((s) => s.elapsedMs);
  const error = useStore((s) => s.runError);
  const { generations, replicates } = useStore((s) => s.recipe);
  const note = useStore((s) => s.theoryNote);
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
    <p className="run-status" data-testid="run-status">
      {status === 'done' && elapsed !== null
        ? `${(generations + 1).toLocaleString('en')} generations × ${replicates.toLocaleString('en')} chains simulated in your browser in ${Math.round(elapsed)} ms.`
        : 'Simulating…'}
      {note ? ` ${note}` : ''}
    </p>
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
