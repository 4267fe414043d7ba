// Classroom mode (`?mode=classroom`): one locked experiment (the link's recipe, or the bell curve
// refitted on its own samples), in type a projector can carry, driven by the keyboard alone.
// "Predict, then reveal": the class sees where the main metric starts and marks on the final
// generation's axis where they think it ends (↑ ↓, or a click); Enter or Space runs it, and when
// the last generation is shown the guess is scored against the result.
import { type KeyboardEvent as ReactKeyboardEvent, useEffect, useRef, useState } from 'react';
import { DEFAULT_RECIPES, specOf } from '../../core/recipe';
import { createSimulationClient } from '../../engine/pool/pool';
import { startRunner } from '../../state/runner';
import {
  type AppState,
  type AppStore,
  createAppStore,
  StoreProvider,
  shownGeneration,
  useStore,
} from '../../state/store';
import { deserializeState } from '../../state/urlCodec';
import { defaultMetricSpecs } from '../ComparisonView';
import { fmt, percent } from '../format';
import { MetricFigure, type MetricSpec, metricFigure } from '../MetricFigure';
import { Playback, playbackOf } from '../Transport';
import { axisPosition, axisValue, type GuessAxis, guessAxis, guessScore } from './score';
import './classroom.css';

/** The preset a bare classroom link runs: 100 points a generation, no real data, 100 generations. */
const CLASS_PRESET = {
  ...DEFAULT_RECIPES.gaussian1d,
  samplesPerGeneration: 100,
  generations: 100,
  replicates: 100,
  syntheticFraction: 1,
};

/** Steps of the guess along its axis per ↑ / ↓ (PageUp / PageDown: five). */
const GUESS_STEPS = 40;

type Phase = 'predict' | 'run' | 'revealed';

/** The recipe the link locks (its hash), or the class preset; and what was wrong with the link. */
function lockedRecipe(): { recipe: AppState['recipe']; messages: string[] } {
  if (location.hash.replace(/^#/, '') === '') return { recipe: CLASS_PRESET, messages: [] };
  const { recipe, messages } = deserializeState(location.hash);
  return { recipe, messages };
}

/** The metric the class predicts: the spec's choice (σ for the bell curve), else the first one. */
function mainMetric(model: AppState['recipe']['model']): MetricSpec {
  const chosen = specOf(model).classMetric;
  if (chosen) return metricFigure(model, chosen);
  const spec = defaultMetricSpecs(model)[0];
  return { ...spec, title: spec.metric };
}

const startOf = (s: AppState, metric: string) => s.results[0]?.stats[metric]?.median;
const endOf = (s: AppState, metric: string) =>
  s.results.length === s.recipe.generations + 1
    ? s.results[s.recipe.generations]?.stats[metric]?.median
    : undefined;

export function Classroom() {
  const [{ store, messages }] = useState(() => {
    const { recipe, messages } = lockedRecipe();
    const store = createAppStore(recipe);
    // The class starts at generation 0: the end stays hidden until they have guessed.
    store.getState().setCursor(0);
    return { store, messages };
  });
  useEffect(() => {
    const client = createSimulationClient();
    const runner = startRunner(store, client);
    return () => runner.stop();
  }, [store]);
  return (
    <StoreProvider value={store}>
      <ClassroomPage store={store} messages={messages} />
    </StoreProvider>
  );
}

function ClassroomPage({ store, messages }: { store: AppStore; messages: string[] }) {
  const recipe = useStore((s) => s.recipe);
  const spec = mainMetric(recipe.model);
  const start = useStore((s) => startOf(s, spec.metric));
  const end = useStore((s) => endOf(s, spec.metric));
  const atEnd = useStore(
    (s) =>
      s.status === 'done' &&
      s.results.length === s.recipe.generations + 1 &&
      shownGeneration(s) === s.recipe.generations,
  );
  const generation = useStore(shownGeneration);
  const playing = useStore((s) => s.playing);
  const [phase, setPhase] = useState<Phase>('predict');
  const [guessAt, setGuessAt] = useState(0.75);
  const [help, setHelp] = useState(false);
  const axis = start === undefined ? null : guessAxis(start, spec.scale);
  const guess = axis ? axisValue(axis, guessAt) : undefined;

  // The reveal: the run has reached its last generation on screen.
  if (phase === 'run' && atEnd && end !== undefined) setPhase('revealed');

  const playback = playbackOf(store);
  const lock = () => {
    if (!axis) return false;
    setPhase('run');
    return true;
  };
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const s = store.getState();
    if (e.key === '?' || (help && e.key === 'Escape')) setHelp((h) => !h && e.key === '?');
    else if (phase === 'predict' && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      const step = (e.key === 'ArrowUp' ? 1 : -1) / GUESS_STEPS;
      setGuessAt((t) => Math.min(1, Math.max(0, t + step)));
    } else if (phase === 'predict' && (e.key === 'PageUp' || e.key === 'PageDown')) {
      const step = (e.key === 'PageUp' ? 5 : -5) / GUESS_STEPS;
      setGuessAt((t) => Math.min(1, Math.max(0, t + step)));
    } else if (e.key === ' ' || e.key === 'Enter') {
      if (phase === 'predict') {
        if (lock()) {
          s.setCursor(0);
          playback.play();
        }
      } else playback.toggle();
    } else if (e.key === 'ArrowRight') {
      if (phase === 'predict') {
        if (lock()) s.setCursor(0);
      }
      playback.step(1);
    } else if (e.key === 'r' || e.key === 'R') {
      playback.reset();
      setPhase('predict');
    } else return;
    e.preventDefault();
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const score = phase === 'revealed' && axis && guess !== undefined && end !== undefined;
  return (
    <div className="classroom" data-testid="classroom">
      <Playback />
      <header className="classroom-head">
        <p className="kicker">Collapse Lab · classroom</p>
        <h1>Predict, then reveal</h1>
        <p className="classroom-recipe" data-testid="classroom-recipe">
          {specOf(recipe.model).displayName}: {recipe.samplesPerGeneration.toLocaleString('en')}{' '}
          points a generation, {percent(recipe.syntheticFraction)} synthetic, {recipe.generations}{' '}
          generations, {recipe.replicates} runs.
        </p>
        {messages.length > 0 && (
          <p className="classroom-note" role="status">
            {messages.join('; ')}
          </p>
        )}
      </header>
      <main className="classroom-stage">
        <div className="classroom-chart">
          {phase === 'predict' ? (
            <div className="classroom-question" data-testid="classroom-question">
              <p>
                {spec.title} starts at <strong>{fmt(start)}</strong>. Where will it be after{' '}
                {recipe.generations} generations?
              </p>
              <p className="classroom-hint">
                Mark your guess on the axis with <kbd>↑</kbd> <kbd>↓</kbd>, then press{' '}
                <kbd>Enter</kbd> to run it.
              </p>
            </div>
          ) : (
            <MetricFigure model={recipe.model} spec={spec} testId="classroom-chart" />
          )}
        </div>
        <GuessAxisView
          axis={axis}
          guess={guess}
          result={phase === 'revealed' ? end : undefined}
          locked={phase !== 'predict'}
          onPick={(t) => phase === 'predict' && setGuessAt(t)}
          label={`${spec.title} at generation ${recipe.generations}`}
        />
      </main>
      <footer className="classroom-status">
        <span data-testid="classroom-generation">
          Generation {generation} / {recipe.generations}
          {phase === 'run' && (playing ? ' — playing' : ' — paused')}
        </span>
        {score ? (
          <p className="classroom-score" data-testid="classroom-score" role="status">
            Your guess {fmt(guess)}, the result {fmt(end)}: score{' '}
            <strong data-testid="classroom-points">{guessScore(axis, guess, end)}</strong> / 100
          </p>
        ) : (
          <span className="classroom-keys">
            <kbd>?</kbd> keys
          </span>
        )}
      </footer>
      {help && <HelpOverlay />}
    </div>
  );
}

const HEIGHT = 360;
const PAD = 24;

/** The final generation's axis: the guess (and, once revealed, the result) marked on it. */
function GuessAxisView({
  axis,
  guess,
  result,
  locked,
  onPick,
  label,
}: {
  axis: GuessAxis | null;
  guess: number | undefined;
  result: number | undefined;
  locked: boolean;
  onPick: (t: number) => void;
  label: string;
}) {
  if (!axis || guess === undefined)
    return <div className="guess-axis" aria-busy="true" data-testid="guess-axis" />;
  const y = (v: number) => PAD + (1 - axisPosition(axis, v)) * (HEIGHT - 2 * PAD);
  const ticks =
    axis.scale === 'log'
      ? [1, 2, 5, 10, 20, 50, 100, 200].map((k) => (axis.min * k) as number)
      : [0, 0.25, 0.5, 0.75, 1].map((k) => axis.min + k * (axis.max - axis.min));
  const onKeyDown = (e: ReactKeyboardEvent) => {
    // The page's key handler moves the guess; the slider only has to exist for assistive tech.
    if (e.key === 'Home' || e.key === 'End') {
      onPick(e.key === 'End' ? 1 : 0);
      e.preventDefault();
    }
  };
  return (
    <div className="guess-axis" data-testid="guess-axis">
      <p className="guess-axis-title">{label}</p>
      <div
        className="guess-slider"
        role="slider"
        tabIndex={0}
        aria-orientation="vertical"
        aria-label={`Your guess: ${label}`}
        aria-valuemin={axis.min}
        aria-valuemax={axis.max}
        aria-valuenow={guess}
        aria-valuetext={fmt(guess)}
        aria-readonly={locked}
        onKeyDown={onKeyDown}
        onClick={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          const t = 1 - (e.clientY - box.top - PAD) / (box.height - 2 * PAD);
          onPick(t);
        }}
      >
        <svg
          className="guess-axis-svg"
          viewBox={`0 0 160 ${HEIGHT}`}
          height={HEIGHT}
          width={160}
          aria-hidden="true"
        >
          <line x1={60} x2={60} y1={PAD} y2={HEIGHT - PAD} className="guess-line" />
          {ticks.map((v) => (
            <g key={v} transform={`translate(60, ${y(v)})`}>
              <line x1={-6} x2={0} className="guess-tick" />
              <text x={-10} dy="0.32em" textAnchor="end" className="guess-tick-label">
                {fmt(v, 2)}
              </text>
            </g>
          ))}
          <g transform={`translate(60, ${y(guess)})`} data-testid="guess-marker">
            <path d="M0,0 L14,-9 L14,9 Z" className="guess-mark" />
            <text x={18} dy="-0.5em" className="guess-label">
              guess {fmt(guess, 2)}
            </text>
          </g>
          {result !== undefined && (
            <g transform={`translate(60, ${y(result)})`} data-testid="result-marker">
              <circle r={7} className="result-mark" />
              <text x={18} dy="1.3em" className="result-label">
                result {fmt(result, 2)}
              </text>
            </g>
          )}
        </svg>
      </div>
    </div>
  );
}

function HelpOverlay() {
  return (
    <div
      className="classroom-help"
      role="dialog"
      aria-modal="true"
      aria-label="Keys"
      data-testid="classroom-help"
    >
      <h2>Keys</h2>
      <dl>
        <dt>
          <kbd>↑</kbd> <kbd>↓</kbd>
        </dt>
        <dd>move the guess (PageUp / PageDown: faster)</dd>
        <dt>
          <kbd>Enter</kbd> or <kbd>Space</kbd>
        </dt>
        <dd>lock the guess and run; then play or pause</dd>
        <dt>
          <kbd>→</kbd>
        </dt>
        <dd>one generation forward</dd>
        <dt>
          <kbd>r</kbd>
        </dt>
        <dd>reset: back to generation 0 and a new guess</dd>
        <dt>
          <kbd>?</kbd>
        </dt>
        <dd>show or hide these keys (Esc hides)</dd>
      </dl>
    </div>
  );
}
