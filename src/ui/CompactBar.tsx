// The controls a reader needs beside a figure: play or pause, the shown generation and the
// synthetic-share slider. The story puts one under each figure; the lab shows it, pinned to the
// bottom of the screen, on narrow screens, where its full controls sit far from the charts.
import { useId } from 'react';
import type { NumberField } from '../core/fields';
import { fieldsOf } from '../core/recipe';
import { shownGeneration, useStore, useStoreApi } from '../state/store';
import { percent } from './format';
import { playbackOf } from './Transport';

export function CompactBar({ className = '' }: { className?: string }) {
  const id = useId();
  const store = useStoreApi();
  const playing = useStore((s) => s.playing);
  const shown = useStore(shownGeneration);
  const generations = useStore((s) => s.recipe.generations);
  const share = useStore((s) => s.recipe.syntheticFraction);
  const model = useStore((s) => s.recipe.model);
  // The slider's range and step come from the field table, in percent as the lab's slider.
  const field = fieldsOf(model).syntheticFraction as NumberField;
  const play = () => playbackOf(store).toggle();
  return (
    <div className={`compact-bar ${className}`} data-testid="compact-bar">
      <button
        type="button"
        className="primary"
        onClick={play}
        aria-pressed={playing}
        data-testid="compact-play"
      >
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <span className="compact-generation">
        gen <output data-testid="compact-generation">{shown}</output>/{generations}
      </span>
      <label htmlFor={id} className="compact-share">
        <span>
          Synthetic <output>{percent(share)}</output>
        </span>
        <input
          id={id}
          type="range"
          min={Math.round(field.min * 100)}
          max={Math.round(field.max * 100)}
          step={Math.round((field.step ?? 0.01) * 100)}
          value={Math.round(share * 100)}
          aria-valuetext={percent(share)}
          data-testid="compact-synthetic-share"
          onChange={(e) =>
            store.getState().setField('syntheticFraction', Number(e.currentTarget.value) / 100)
          }
        />
      </label>
    </div>
  );
}
