// One figure of a model's view without the page around it: the figure `figure=` names (by its
// public name, src/embed/figures.ts; the first of the view when none is named), the controls
// `controls=` names, a link to the whole lab, and the run's messages. Generic over models: it
// renders the model's registered view and shows the one figure, so every model's figures can be
// embedded.
import { Suspense, useEffect, useRef, useState } from 'react';
import { useStore } from '../state/store';
import { serializeState } from '../state/urlCodec';
import { FieldControl } from '../ui/Controls';
import { LiveSummary } from '../ui/LiveSummary';
import { VIEWS } from '../ui/models/registry';
import { Messages, RunNotes } from '../ui/RunStatus';
import { Transport } from '../ui/Transport';
import { figureTestId } from './figures';
import { type EmbedParams, embedControls } from './params';

function useShownFigure(
  container: React.RefObject<HTMLDivElement | null>,
  wanted: string | null,
): string | null {
  const [missing, setMissing] = useState<string | null>(null);
  const model = useStore((s) => s.recipe.model);
  const testId = wanted === null ? null : figureTestId(model, wanted);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the view changes with the model
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const pick = () => {
      const figures = Array.from(root.querySelectorAll<HTMLElement>('figure[data-testid]'));
      if (figures.length === 0) return;
      const chosen = figures.find((f) => f.dataset.testid === testId) ?? figures[0];
      setMissing(wanted !== null && chosen.dataset.testid !== testId ? wanted : null);
      for (const f of figures) {
        if (f === chosen) f.setAttribute('data-embed-shown', '');
        else f.removeAttribute('data-embed-shown');
      }
    };
    pick();
    const observer = new MutationObserver(pick);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [model, wanted, testId]);
  return missing;
}

export function EmbedApp({ params }: { params: EmbedParams }) {
  const recipe = useStore((s) => s.recipe);
  const { View } = VIEWS[recipe.model];
  const { fields, transport, unknown } = embedControls(recipe.model, params.controls);
  const view = useRef<HTMLDivElement>(null);
  const missing = useShownFigure(view, params.figure);
  return (
    <main className="embed">
      <Messages />
      {(unknown.length > 0 || missing) && (
        <p className="hint" role="status" data-testid="embed-notes">
          {missing && `No figure "${missing}" in this model; showing its first figure. `}
          {unknown.length > 0 && `Unknown controls left out: ${unknown.join(', ')}.`}
        </p>
      )}
      {fields.length > 0 && (
        <form
          className="controls embed-controls"
          aria-label="Experiment settings"
          onSubmit={(e) => e.preventDefault()}
        >
          {fields.map((f) => (
            <FieldControl key={f} name={f} />
          ))}
        </form>
      )}
      <Transport parts={transport} />
      <div className="embed-view" ref={view}>
        <Suspense fallback={<p className="run-status">Loading the figure…</p>}>
          <View />
        </Suspense>
      </div>
      <RunNotes />
      <p className="embed-credit">
        <a
          href={`./index.html#${serializeState(recipe, null)}`}
          target="_blank"
          rel="noopener"
          data-testid="open-lab"
        >
          Open this experiment in Collapse Lab
        </a>
      </p>
      <LiveSummary />
    </main>
  );
}
