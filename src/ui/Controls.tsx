// The experiment's controls. Every control edits one recipe field through the store, which
// validates it; sliders on count fields move on a log scale.
import { useId } from 'react';
import { ESTIMATORS, REAL_DATA, RECIPE_FIELDS, REGIMES } from '../core/recipe';
import type { AppState } from '../state/store';
import { useStore } from '../state/store';
import { percent } from './format';

interface SliderProps {
  field: string;
  label: string;
  min: number;
  max: number;
  step: number;
  /** Slider position for a recipe value, and back. */
  toSlider?: (v: number) => number;
  fromSlider?: (p: number) => number;
  display: (v: number) => string;
  hint?: string;
  testId: string;
}

const fieldValue = (s: AppState, field: string) =>
  (s.recipe as unknown as Record<string, number | string>)[field];
const log10 = (v: number) => Math.log10(v);
const pow10 = (p: number) => Math.round(10 ** p);

function Slider({
  field,
  label,
  min,
  max,
  step,
  toSlider,
  fromSlider,
  display,
  hint,
  testId,
}: SliderProps) {
  const id = useId();
  const value = useStore((s) => fieldValue(s, field)) as number;
  const setField = useStore((s) => s.setField);
  const position = toSlider ? toSlider(value) : value;
  return (
    <div className="control">
      <label htmlFor={id}>
        {label} <output htmlFor={id}>{display(value)}</output>
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={position}
        aria-valuetext={display(value)}
        data-testid={testId}
        onChange={(e) => {
          const p = Number(e.currentTarget.value);
          setField(field, fromSlider ? fromSlider(p) : p);
        }}
      />
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}

interface ChoiceProps {
  field: string;
  label: string;
  options: readonly string[];
  names: Record<string, string>;
}

function Choice({ field, label, options, names }: ChoiceProps) {
  const value = useStore((s) => fieldValue(s, field)) as string;
  const setField = useStore((s) => s.setField);
  return (
    <fieldset className="control choice">
      <legend>{label}</legend>
      <div className="segmented">
        {options.map((o) => (
          <label key={o} className={o === value ? 'selected' : ''}>
            <input
              type="radio"
              name={field}
              value={o}
              checked={o === value}
              data-testid={`${field}-${o}`}
              onChange={() => setField(field, o)}
            />
            {names[o] ?? o}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function SeedControl() {
  const id = useId();
  const seed = useStore((s) => s.recipe.seed);
  const setField = useStore((s) => s.setField);
  return (
    <div className="control seed">
      <label htmlFor={id}>Seed</label>
      <div className="seed-row">
        <input
          id={id}
          type="number"
          min={RECIPE_FIELDS.seed.min}
          max={RECIPE_FIELDS.seed.max}
          step={1}
          value={seed}
          data-testid="seed"
          onChange={(e) => {
            const v = e.currentTarget.valueAsNumber;
            if (Number.isFinite(v)) setField('seed', v);
          }}
        />
        <button
          type="button"
          onClick={() => setField('seed', Math.floor(Math.random() * 1_000_000))}
          title="Run again with another random seed"
        >
          New seed
        </button>
      </div>
    </div>
  );
}

export function Controls() {
  return (
    <form
      className="controls"
      aria-label="Experiment settings"
      onSubmit={(e) => e.preventDefault()}
    >
      <Slider
        field="syntheticFraction"
        label="Synthetic share of training data"
        min={0}
        max={100}
        step={1}
        toSlider={(v) => Math.round(v * 100)}
        fromSlider={(p) => p / 100}
        display={percent}
        hint="The rest of each generation's training set is real data."
        testId="synthetic-share"
      />
      <Slider
        field="samplesPerGeneration"
        label="Samples per generation M"
        min={1}
        max={4}
        step={0.01}
        toSlider={log10}
        fromSlider={pow10}
        display={(v) => v.toLocaleString('en')}
        testId="samples"
      />
      <Slider
        field="generations"
        label="Generations"
        min={0}
        max={3}
        step={0.01}
        toSlider={log10}
        fromSlider={pow10}
        display={(v) => v.toLocaleString('en')}
        testId="generations"
      />
      <Slider
        field="replicates"
        label="Replicate chains"
        min={0}
        max={3}
        step={0.01}
        toSlider={log10}
        fromSlider={pow10}
        display={(v) => v.toLocaleString('en')}
        testId="replicates"
      />
      <Choice
        field="regime"
        label="Each generation's training set"
        options={REGIMES}
        names={{
          replace: 'Replace',
          accumulate: 'Accumulate',
          'accumulate-subsample': 'Subsample',
        }}
      />
      <Choice
        field="realData"
        label="Real data"
        options={REAL_DATA}
        names={{ fresh: 'Fresh each time', fixed: 'Same set' }}
      />
      <Choice
        field="estimator"
        label="Variance estimate"
        options={ESTIMATORS}
        names={{ mle: 'MLE (÷n)', unbiased: 'Unbiased (÷n−1)' }}
      />
      <Slider
        field="temperature"
        label="Sampling temperature λ"
        min={RECIPE_FIELDS.temperature.min}
        max={RECIPE_FIELDS.temperature.max}
        step={0.05}
        display={(v) => v.toFixed(2)}
        hint="λ < 1 samples the likelier points: quality over diversity."
        testId="temperature"
      />
      <SeedControl />
    </form>
  );
}
