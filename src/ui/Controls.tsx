// The experiment's controls. Every control edits one recipe field through the store, which
// validates it; sliders on count fields move on a log scale.
import { useId } from 'react';
import type { EnumField, NumberField } from '../core/fields';
import { MODEL_SPECS } from '../core/models/registry';
import { DEFAULT_RECIPES, fieldsOf, MODELS, type Model, parseRecipe, specOf } from '../core/recipe';
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

function SeedControl({ field }: { field: NumberField }) {
  const id = useId();
  const seed = useStore((s) => s.recipe.seed);
  const setField = useStore((s) => s.setField);
  return (
    <div className="control seed">
      <label htmlFor={id}>{field.label}</label>
      <div className="seed-row">
        <input
          id={id}
          type="number"
          min={field.min}
          max={field.max}
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

const count = (v: number) => v.toLocaleString('en');

const DISPLAY: Record<NonNullable<NumberField['display']>, (v: number) => string> = {
  count,
  percent,
  fixed2: (v) => v.toFixed(2),
  exponent: (v) => v.toExponential(0),
  plain: (v) => String(v),
};

/** A number field's slider, its range, scale, step, label and format from the model's spec. */
function FieldSlider({ name, field }: { name: string; field: NumberField }) {
  const display = DISPLAY[field.display ?? 'plain'];
  const common = {
    field: name,
    label: field.label,
    display,
    hint: field.hint,
    testId: field.testId ?? name,
  };
  if (field.display === 'percent') {
    return (
      <Slider
        {...common}
        min={Math.round(field.min * 100)}
        max={Math.round(field.max * 100)}
        step={Math.round((field.step ?? 0.01) * 100)}
        toSlider={(v) => Math.round(v * 100)}
        fromSlider={(p) => p / 100}
      />
    );
  }
  if (field.scale === 'log') {
    return (
      <Slider
        {...common}
        min={Math.log10(field.min)}
        max={Math.log10(field.max)}
        step={field.step ?? 0.01}
        toSlider={Math.log10}
        fromSlider={(p) =>
          field.kind === 'int' ? Math.round(10 ** p) : Number((10 ** p).toPrecision(2))
        }
      />
    );
  }
  return (
    <Slider
      {...common}
      min={field.min}
      max={field.max}
      step={field.step ?? (field.kind === 'int' ? 1 : 0.01)}
    />
  );
}

function FieldChoice({ name, field }: { name: string; field: EnumField }) {
  return (
    <Choice
      field={name}
      label={field.label}
      options={field.values}
      names={(field.names ?? {}) as Record<string, string>}
    />
  );
}

function Presets() {
  const model = useStore((s) => s.recipe.model);
  const seed = useStore((s) => s.recipe.seed);
  const setRecipe = useStore((s) => s.setRecipe);
  const presets = specOf(model).presets;
  if (presets.length === 0) return null;
  return (
    <div className="control presets">
      <span className="presets-label">Presets</span>
      <div className="segmented">
        {presets.map((p) => (
          <button
            key={p.name}
            type="button"
            title={p.title}
            data-testid={`preset-${p.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`}
            onClick={() => {
              const parsed = parseRecipe({ ...DEFAULT_RECIPES[model], seed, ...p.recipe });
              if (parsed.ok) setRecipe(parsed.recipe, parsed.warnings);
            }}
          >
            {p.name}
          </button>
        ))}
      </div>
    </div>
  );
}

/** The model's controls, generated from its spec: the fields it lists, in its order. */
export function Controls() {
  const model = useStore((s) => s.recipe.model);
  const fields = fieldsOf(model);
  return (
    <form
      className="controls"
      aria-label="Experiment settings"
      onSubmit={(e) => e.preventDefault()}
    >
      <Presets />
      {specOf(model).controls.map((name) => {
        const f = fields[name];
        if (f.control === 'none') return null;
        if (f.kind === 'enum') return <FieldChoice key={name} name={name} field={f} />;
        if (f.control === 'seed') return <SeedControl key={name} field={f} />;
        return <FieldSlider key={name} name={name} field={f} />;
      })}
    </form>
  );
}

/** Which experiment the lab shows; each keeps the seed and data settings across a switch. */
export function ModelTabs() {
  const model = useStore((s) => s.recipe.model);
  const switchModel = useStore((s) => s.switchModel);
  return (
    <div className="model-tabs" role="tablist" aria-label="Experiment">
      {MODELS.map((m: Model) => (
        <button
          key={m}
          type="button"
          role="tab"
          aria-selected={m === model}
          className={m === model ? 'selected' : ''}
          data-testid={`tab-${m}`}
          onClick={() => switchModel(m)}
        >
          {MODEL_SPECS[m].displayName}
        </button>
      ))}
    </div>
  );
}
