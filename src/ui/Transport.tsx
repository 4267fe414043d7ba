// Play / pause / step / reset and the generation scrubber. Playback moves the shown generation
// through results the worker has already streamed; it waits when it catches up with them.
import { useEffect, useId, useRef } from 'react';
import { type AppStore, labStore, shownGeneration, useStore, useStoreApi } from '../state/store';

/** Generations per second during playback: the whole run in about six seconds, at least 8/s. */
const playbackRate = (generations: number) => Math.max(8, generations / 6);

/**
 * With prefers-reduced-motion the figures move in a few discrete steps (one a second, the same
 * pace through the run) instead of animating frame by frame.
 */
const REDUCED_STEP_MS = 1000;
const reducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Moves the nearest store's shown generation while it plays. */
export function usePlayback() {
  const playing = useStore((s) => s.playing);
  const store = useStoreApi();
  const position = useRef(0);
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    let lastTime = performance.now();
    position.current = shownGeneration(store.getState());
    const reduced = reducedMotion();
    const tick = (now: number) => {
      if (reduced && now - lastTime < REDUCED_STEP_MS) {
        frame = requestAnimationFrame(tick);
        return;
      }
      const s = store.getState();
      const last = s.recipe.generations;
      const computed = s.results.length - 1;
      position.current = Math.min(
        position.current + ((now - lastTime) / 1000) * playbackRate(last),
        Math.max(0, computed),
      );
      lastTime = now;
      const g = Math.floor(position.current);
      if (g >= last) {
        s.setCursor(null);
        s.setPlaying(false);
        return;
      }
      if (g !== s.cursor) s.setCursor(g);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, store]);
}

/** Playback without the transport's buttons (figures with a CompactBar of their own). */
export function Playback() {
  usePlayback();
  return null;
}

/**
 * What the transport buttons do to `store`, for the keyboard, the buttons and the embed protocol
 * alike.
 */
export function playbackOf(store: AppStore) {
  const playback = {
    /** Plays from the shown generation (from 0 when at the end). */
    play() {
      const s = store.getState();
      if (shownGeneration(s) >= s.recipe.generations) s.setCursor(0);
      s.setPlaying(true);
    },
    pause() {
      store.getState().setPlaying(false);
    },
    toggle() {
      if (store.getState().playing) playback.pause();
      else playback.play();
    },
    step(delta = 1) {
      const s = store.getState();
      s.setPlaying(false);
      s.setCursor(Math.max(0, Math.min(s.recipe.generations, shownGeneration(s) + delta)));
    },
    reset() {
      const s = store.getState();
      s.setPlaying(false);
      s.setCursor(0);
    },
  };
  return playback;
}

/** The lab's (and the embed's) playback. */
export const playback = playbackOf(labStore);

/** The transport's parts; an embed shows the ones its `controls=` names. */
export const TRANSPORT_PARTS = ['play', 'step', 'reset', 'scrubber'] as const;
export type TransportPart = (typeof TRANSPORT_PARTS)[number];

/**
 * `keyboard`: whether the page's keys drive this transport (the lab's one does; the story's
 * figures each have their own and leave the keys alone).
 */
export function Transport({
  parts = TRANSPORT_PARTS,
  keyboard = true,
}: {
  parts?: readonly TransportPart[];
  keyboard?: boolean;
}) {
  usePlayback();
  const store = useStoreApi();
  const playback = playbackOf(store);
  const id = useId();
  const playing = useStore((s) => s.playing);
  const generations = useStore((s) => s.recipe.generations);
  const computed = useStore((s) => s.results.length);
  const shown = useStore(shownGeneration);
  const status = useStore((s) => s.status);
  const { setCursor, setPlaying } = store.getState();
  const play = playback.toggle;
  const step = playback.step;

  // Keyboard: space plays or pauses, arrows step, Home resets, when no form field has focus.
  const handlers = useRef({ play, step });
  handlers.current = { play, step };
  useEffect(() => {
    if (!keyboard) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.altKey || e.ctrlKey || e.metaKey || t.closest('input, select, textarea, button'))
        return;
      if (e.key === ' ') handlers.current.play();
      else if (e.key === 'ArrowRight') handlers.current.step(1);
      else if (e.key === 'ArrowLeft') handlers.current.step(-1);
      else if (e.key === 'Home') handlers.current.step(-Number.MAX_SAFE_INTEGER);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keyboard]);

  const has = (p: TransportPart) => parts.includes(p);
  const generation = (
    <span>
      Generation <output data-testid="generation">{shown}</output> / {generations}
    </span>
  );
  return (
    <fieldset className="transport">
      <legend className="visually-hidden">Playback</legend>
      {has('play') && (
        <button
          type="button"
          className="primary"
          onClick={play}
          data-testid="play"
          aria-pressed={playing}
        >
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
      )}
      {has('step') && (
        <button
          type="button"
          onClick={() => step(1)}
          data-testid="step"
          aria-label="Step one generation"
        >
          Step
        </button>
      )}
      {has('reset') && (
        <button
          type="button"
          onClick={playback.reset}
          data-testid="reset"
          aria-label="Reset to generation 0"
        >
          Reset
        </button>
      )}
      {has('scrubber') ? (
        <label htmlFor={id} className="scrubber">
          {generation}
          <input
            id={id}
            type="range"
            min={0}
            max={generations}
            step={1}
            value={shown}
            data-testid="scrubber"
            aria-valuetext={`generation ${shown} of ${generations}`}
            onChange={(e) => {
              setPlaying(false);
              setCursor(Number(e.currentTarget.value));
            }}
          />
          <span
            className="computed"
            style={{ width: `${(100 * Math.max(0, computed - 1)) / Math.max(1, generations)}%` }}
            aria-hidden="true"
          />
        </label>
      ) : (
        <span className="scrubber">{generation}</span>
      )}
      <span className="run-state">
        {status === 'running' ? `computing ${computed}/${generations + 1}…` : ''}
      </span>
    </fieldset>
  );
}
