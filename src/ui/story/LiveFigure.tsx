// A story figure: its own store and simulation worker, started when the figure first comes on
// screen and paused when it leaves (playback stops; an unfinished run is cancelled and run again
// on return). Under it: play and the synthetic-share slider, the "try this" buttons that set its
// recipe in place, and a link that opens the same experiment in the lab.
import { Suspense, useEffect, useRef, useState } from 'react';
import type { AnyRecipe } from '../../core/recipe';
import { createSimulationClient } from '../../engine/pool/pool';
import { startRunner } from '../../state/runner';
import { type AppStore, createAppStore, StoreProvider, useStore } from '../../state/store';
import { serializeState } from '../../state/urlCodec';
import { CompactBar } from '../CompactBar';
import { type PrerenderedCharts, PrerenderedProvider } from '../prerendered';
import { RunNotes, RunStatus } from '../RunStatus';
import { Playback } from '../Transport';
import { prefersReducedMotion, useOnScreen } from './onScreen';
import type { StorySection } from './sections';

/**
 * Workers per figure: several figures may be on screen at once, and a figure's recipe is small;
 * one worker also streams its first generation soonest (a pool merges each generation's parts).
 */
const FIGURE_WORKERS = 1;

/** Plays the store's run from generation 0 (it waits for generations as they arrive). */
function playFromStart(store: AppStore) {
  const s = store.getState();
  if (prefersReducedMotion()) {
    // No animation: show the last generation once it is there.
    s.setPlaying(false);
    s.setCursor(null);
    return;
  }
  s.setCursor(0);
  s.setPlaying(true);
}

interface Launched {
  store: AppStore;
  runner: ReturnType<typeof startRunner>;
}

/** A figure's store running its recipe on a worker of its own, playing from generation 0. */
function launch(section: StorySection, store = createAppStore(section.recipe)): Launched {
  const runner = startRunner(store, createSimulationClient({ maxWorkers: FIGURE_WORKERS }));
  playFromStart(store);
  return { store, runner };
}

const prestarted = new Map<string, Launched>();

/**
 * Starts the figure that opens the page before React has drawn it, so its worker boots while the
 * page renders (it is on the first screen by design; its LiveFigure takes it over).
 */
export function prestart(section: StorySection): void {
  if (!prestarted.has(section.id)) prestarted.set(section.id, launch(section));
}

export function LiveFigure({
  section,
  eager = false,
  prerendered,
}: {
  section: StorySection;
  /** Shown from the first render (the page's first screen), not when scrolled to. */
  eager?: boolean;
  /** Its charts as the build drew them (ui/prerendered.tsx). */
  prerendered?: PrerenderedCharts;
}) {
  const [pre] = useState(() => {
    const p = prestarted.get(section.id);
    prestarted.delete(section.id);
    return p;
  });
  const [store] = useState(() => pre?.store ?? createAppStore(section.recipe));
  const box = useRef<HTMLDivElement>(null);
  const runner = useRef<ReturnType<typeof startRunner> | null>(pre?.runner ?? null);
  /** Paused (or cancelled) because it left the screen: resume on return. */
  const held = useRef(false);

  // The figure's code and drawing wait until it first comes on screen: the page opens light.
  const [shown, setShown] = useState(eager || pre !== undefined);
  const start = () => {
    setShown(true);
    if (runner.current) return;
    runner.current = launch(section, store).runner;
  };

  useOnScreen(box, (onScreen) => {
    const s = store.getState();
    if (onScreen) {
      if (!runner.current) start();
      else if (held.current) {
        if (s.status === 'cancelled') runner.current.run();
        s.setPlaying(true);
      }
      held.current = false;
    } else if (runner.current && (s.playing || s.status === 'running')) {
      held.current = true;
      s.setPlaying(false);
      if (s.status === 'running') s.requestCancel();
    }
  });
  useEffect(
    () => () => {
      runner.current?.stop();
      runner.current = null;
    },
    [],
  );

  // A new run empties the figure before it fills again: hold its height meanwhile, or the page
  // below would jump up and the figure (with the button just pressed) could leave the screen.
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (s.status !== prev.status && s.status !== 'running' && box.current)
          box.current.style.minHeight = '';
      }),
    [store],
  );

  const tryRecipe = (recipe: AnyRecipe) => {
    if (box.current) box.current.style.minHeight = `${box.current.offsetHeight}px`;
    store.getState().setRecipe(recipe);
    if (runner.current) playFromStart(store);
    else start();
  };

  const { Figure } = section;
  return (
    <StoreProvider value={store}>
      <div className="live-figure" ref={box} data-testid={`story-figure-${section.id}`}>
        <Caption section={section} />
        {shown && prerendered ? (
          // No boundary of its own: React hydrates a drawn figure with the page, at once, instead
          // of later at low priority (a boundary's content waits while the run streams).
          <PrerenderedProvider section={section.id} charts={prerendered}>
            <Figure />
          </PrerenderedProvider>
        ) : shown ? (
          <Suspense fallback={<p className="figure-waiting">Loading the figure…</p>}>
            <Figure />
          </Suspense>
        ) : (
          <p className="figure-waiting">The figure starts when you scroll to it.</p>
        )}
        <Playback />
        <CompactBar />
        <Status />
        <RunNotes />
        <TryThese section={section} onTry={tryRecipe} />
      </div>
    </StoreProvider>
  );
}

/** The run's status once it has started (until then the figure waits for the reader). */
function Status() {
  const status = useStore((s) => s.status);
  if (status === 'idle') return null;
  if (status === 'cancelled')
    return (
      <p className="run-status" data-testid="run-status">
        Paused off screen: it runs again when you scroll back to it.
      </p>
    );
  return <RunStatus />;
}

/** Which recipe the figure shows, in words. */
function Caption({ section }: { section: StorySection }) {
  const recipe = useStore((s) => s.recipe);
  const tried = section.tries.find((t) => sameRecipe(t.recipe, recipe));
  const label =
    tried?.label ?? (sameRecipe(section.recipe, recipe) ? section.recipeLabel : 'your settings');
  return (
    <p className="figure-showing" data-testid="figure-showing">
      Showing: <strong>{label}</strong>
      {tried && <span className="watch"> — {tried.watch}</span>}
    </p>
  );
}

const sameRecipe = (a: AnyRecipe, b: AnyRecipe) => JSON.stringify(a) === JSON.stringify(b);

function TryThese({
  section,
  onTry,
}: {
  section: StorySection;
  onTry: (recipe: AnyRecipe) => void;
}) {
  const recipe = useStore((s) => s.recipe);
  return (
    <div className="try-this">
      <span className="try-label">Try this:</span>
      {section.tries.map((t) => (
        <button
          key={t.label}
          type="button"
          aria-pressed={sameRecipe(t.recipe, recipe)}
          onClick={() => onTry(t.recipe)}
          data-testid="try-this"
        >
          {t.label}
        </button>
      ))}
      {!sameRecipe(section.recipe, recipe) && (
        <button type="button" onClick={() => onTry(section.recipe)} data-testid="try-reset">
          Back to the start
        </button>
      )}
      <a className="open-lab" href={`#${serializeState(recipe, null)}`} data-testid="open-in-lab">
        Open this in the lab →
      </a>
    </div>
  );
}
