// The lab: every control, playback, the model's figures, and the theory and sources behind it
// (the story, src/ui/story, is the landing page; a link with a recipe opens this page).
import { lazy, Suspense, useState } from 'react';
import { startController } from '../state/controller';
import { useStore } from '../state/store';
import { CompactBar } from './CompactBar';
import { Controls, ModelTabs } from './Controls';
import { DataTable } from './DataTable';
import { LiveSummary } from './LiveSummary';
import { MitigationFigure } from './MitigationFigure';
import { VIEWS } from './models/registry';
import { Messages, RunNotes, RunStatus } from './RunStatus';
import { ShareTools } from './ShareTools';
import { Transport } from './Transport';

// Loaded when the reader opens it: the first screen stays light.
const PhaseDiagram = lazy(() =>
  import('./PhaseDiagram').then((m) => ({ default: m.PhaseDiagram })),
);

/** The phase diagram, folded away until asked for (it starts workers of its own). */
function PhasePanel() {
  const [open, setOpen] = useState(false);
  return (
    <details
      className="phase-panel"
      data-testid="phase-panel"
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>Phase diagram: where collapse sets in, over synthetic share and time</summary>
      {open && (
        <Suspense fallback={<p className="run-status">Loading…</p>}>
          <PhaseDiagram />
        </Suspense>
      )}
    </details>
  );
}

/**
 * Until a model's lede has loaded with its view: true of every tab, so no tab shows another
 * model's words (the Gaussian's, the first screen's, is bundled and never waits).
 */
const NEUTRAL_LEDE =
  'Train a model on samples from the one before it, generation after generation, and watch what it forgets.';

/** The introduction under the title: the open model's own (each view module writes its lede). */
export function LabLede() {
  const model = useStore((s) => s.recipe.model);
  const { Lede } = VIEWS[model];
  return (
    <p className="lede">
      <Suspense fallback={NEUTRAL_LEDE}>
        <Lede />
      </Suspense>
    </p>
  );
}

export function Lab() {
  const model = useStore((s) => s.recipe.model);
  const comparing = useStore((s) => s.comparison !== null);
  const { View, Notes, Compare } = VIEWS[model];
  return (
    <>
      <header className="masthead">
        <p className="kicker">
          Collapse Lab ·{' '}
          <a href="./" data-testid="back-to-story">
            ← the story
          </a>
        </p>
        <h1>What happens when a model learns from its own output?</h1>
        <LabLede />
      </header>
      <main className="lab">
        <ModelTabs />
        <Messages />
        <section className="panel" aria-label="Settings">
          <Controls />
        </section>
        <section className="stage" aria-label="Results">
          <Transport />
          <ShareTools />
          {/* On narrow screens the controls sit below the figures: play and the share stay here. */}
          <CompactBar className="phone-only" />
          <Suspense fallback={<p className="run-status">Loading the view…</p>}>
            {comparing ? <Compare /> : <View />}
          </Suspense>
          <DataTable />
          {!comparing && <MitigationFigure />}
          <RunNotes />
          <RunStatus />
          <LiveSummary />
          <PhasePanel />
        </section>
      </main>
      <section className="notes" aria-label="About this experiment">
        <Suspense fallback={null}>
          <Notes />
        </Suspense>
        <p>
          Keeping a share of fresh real data in every generation bounds the variance away from zero;
          accumulating all data instead of replacing it keeps the error bounded too. Try them with
          the settings on the left.
        </p>
        <h2>Sources</h2>
        <ul className="refs">
          <li>
            Shumailov, Shumaylov, Zhao, Gal, Papernot, Anderson.{' '}
            <em>The Curse of Recursion: Training on Generated Data Makes Models Forget</em> (2023);
            in Nature (2024) as{' '}
            <em>AI models collapse when trained on recursively generated data</em>.
          </li>
          <li>
            Alemohammad et al. <em>Self-Consuming Generative Models Go MAD</em> (2023): sampling
            bias λ &lt; 1 and the fresh-data loop.
          </li>
          <li>
            Gerstgrasser et al.{' '}
            <em>
              Is Model Collapse Inevitable? Breaking the Curse of Recursion by Accumulating Real and
              Synthetic Data
            </em>{' '}
            (2024).
          </li>
        </ul>
        <p className="keys">
          Keyboard: <kbd>Space</kbd> play or pause, <kbd>←</kbd> <kbd>→</kbd> step, <kbd>Home</kbd>{' '}
          back to generation 0. The address bar always holds the whole experiment: copy it to share.
        </p>
      </section>
    </>
  );
}

let started = false;
/** Wires the lab's store to the address and the workers, once. */
export function startLab(): void {
  if (started) return;
  started = true;
  startController();
}
