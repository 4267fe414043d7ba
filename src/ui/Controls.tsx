// The experiment's controls. Every control edits one recipe field through the store, which
// validates it; sliders on count fields move on a log scale. A group field (a mitigation) is a
// checkbox that turns it on (at its defaults) or off, and its sub-fields' controls while on.
import { useId, useState } from 'react';
import { comparableFields, comparisonSpec, parseComparison } from '../core/comparison';
import { comparisonPresets, presetBase } from '../core/comparisonPresets';
import type { EnumField, GroupField, NumberField } from '../core/fields';
import { MODEL_SPECS } from '../core/models/registry';
import {
  DEFAULT_RECIPES,
  fieldsOf,
  groupDefaults,
  groupsOf,
  MODELS,
  type Model,
  parseRecipe,
  specOf,
} from '../core/recipe';
import type { AppState } from '../state/store';
import { useStore, useStoreApi } from '../state/store';
import { percent } from './format';

interface SliderProps {
  field: string;
  /** The group holding `field` (a sub-field), if any. */
  group?: string;
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

type GroupValue = Record<string, number | string>;
const groupValue = (s: AppState, group: string) =>
  (s.recipe as unknown as Record<string, GroupValue | undefined>)[group];
const fieldValue = (s: AppState, field: string, group?: string) =>
  group === undefined
    ? (s.recipe as unknown as Record<string, number | string>)[field]
    : groupValue(s, group)?.[field];

/** Sets a field, or a sub-field of a group (the group's other sub-fields kept). */
function useSetter(field: string, group?: string): (v: number | string) => void {
  const setField = useStore((s) => s.setField);
  const store = useStoreApi();
  if (group === undefined) return (v) => setField(field, v);
  return (v) => {
    const current = groupValue(store.getState(), group) ?? {};
    // The store's setField validates any value through parseRecipe; a group's is an object.
    setField(group, { ...current, [field]: v } as unknown as number);
  };
}

function Slider({
  field,
  group,
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
  const value = useStore((s) => fieldValue(s, field, group)) as number;
  const set = useSetter(field, group);
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
          set(fromSlider ? fromSlider(p) : p);
        }}
      />
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}

interface ChoiceProps {
  field: string;
  group?: string;
  label: string;
  options: readonly string[];
  names: Record<string, string>;
}

function Choice({ field, group, label, options, names }: ChoiceProps) {
  const value = useStore((s) => fieldValue(s, field, group)) as string;
  const set = useSetter(field, group);
  const key = group === undefined ? field : `${group}-${field}`;
  return (
    <fieldset className="control choice">
      <legend>{label}</legend>
      <div className="segmented">
        {options.map((o) => (
          <label key={o} className={o === value ? 'selected' : ''}>
            <input
              type="radio"
              name={key}
              value={o}
              checked={o === value}
              data-testid={`${key}-${o}`}
              onChange={() => set(o)}
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
function FieldSlider({ name, group, field }: { name: string; group?: string; field: NumberField }) {
  const display = DISPLAY[field.display ?? 'plain'];
  const common = {
    field: name,
    group,
    label: field.label,
    display,
    hint: field.hint,
    testId: field.testId ?? (group === undefined ? name : `${group}-${name}`),
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

function FieldChoice({ name, group, field }: { name: string; group?: string; field: EnumField }) {
  return (
    <Choice
      field={name}
      group={group}
      label={field.label}
      options={field.values}
      names={(field.names ?? {}) as Record<string, string>}
    />
  );
}

/** A group field: a checkbox turning it on (at its defaults) or off, and its sub-fields when on. */
function FieldGroup({ name, field }: { name: string; field: GroupField }) {
  const value = useStore((s) => groupValue(s, name));
  const setField = useStore((s) => s.setField);
  const on = value !== undefined;
  return (
    <fieldset className={`control group${on ? ' on' : ''}`}>
      <legend>
        <label>
          <input
            type="checkbox"
            checked={on}
            data-testid={`${name}-on`}
            onChange={(e) =>
              // Off: the field absent (parseRecipe drops an undefined group).
              setField(
                name,
                (e.currentTarget.checked ? groupDefaults(field) : undefined) as unknown as number,
              )
            }
          />{' '}
          {field.label}
        </label>
      </legend>
      {on &&
        Object.entries(field.fields).map(([sub, f]) => {
          if (f.shownWhen && value[f.shownWhen[0]] !== f.shownWhen[1]) return null;
          if (f.kind === 'enum') return <FieldChoice key={sub} name={sub} group={name} field={f} />;
          return <FieldSlider key={sub} name={sub} group={name} field={f} />;
        })}
      {on && field.hint && <p className="hint">{field.hint}</p>}
    </fieldset>
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

/** The remedies side by side: comparison presets (the same for every model: they are the loop's). */
function ComparePresets() {
  const model = useStore((s) => s.recipe.model);
  const seed = useStore((s) => s.recipe.seed);
  const active = useStore((s) => (s.comparison ? comparisonSpec(s.comparison) : null));
  const setExperiment = useStore((s) => s.setExperiment);
  return (
    <div className="control presets">
      <span className="presets-label">Compare, side by side</span>
      <div className="segmented">
        {comparisonPresets(model).map((p) => (
          <button
            key={p.name}
            type="button"
            title={p.title}
            aria-pressed={active === p.compare}
            data-testid={`compare-preset-${p.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`}
            onClick={() => {
              const parsed = parseRecipe(presetBase(model, p, seed));
              if (!parsed.ok) return;
              const c = parseComparison(parsed.recipe, p.compare, p.labels);
              if (c.ok) setExperiment(parsed.recipe, c.comparison, parsed.warnings);
              else setExperiment(parsed.recipe, null, [c.error]);
            }}
          >
            {p.name}
          </button>
        ))}
      </div>
    </div>
  );
}

/**
 * Any comparison: a field and 2–4 values (a mitigation's values are `off` or its sub-values
 * joined by `:`), parsed like a link's `cmp`; a bad one gets the parser's message.
 */
function CompareBuilder() {
  const recipe = useStore((s) => s.recipe);
  const active = useStore((s) => s.comparison);
  const setComparison = useStore((s) => s.setComparison);
  const id = useId();
  const fields = comparableFields(recipe.model);
  const all = { ...fieldsOf(recipe.model), ...groupsOf(recipe.model) } as Record<
    string,
    { label: string }
  >;
  const [field, setField] = useState(active?.field ?? 'temperature');
  const [values, setValues] = useState(
    active ? active.variants.map((v) => v.text).join(', ') : '1, 0.9, 0.8',
  );
  const [error, setError] = useState<string | null>(null);
  const chosen = fields.includes(field) ? field : fields[0];
  const submit = () => {
    const c = parseComparison(recipe, `${chosen}=${values}`);
    if (!c.ok) {
      setError(c.error);
      return;
    }
    setError(null);
    setComparison(
      c.comparison,
      c.comparison.variants.flatMap((v) => v.warnings),
    );
  };
  return (
    <details className="control compare-builder">
      <summary>Compare any setting…</summary>
      {/* Inside the settings form: a group, not a nested form. */}
      <div className="compare-form">
        <label htmlFor={`${id}-field`}>Setting</label>
        <select
          id={`${id}-field`}
          value={chosen}
          data-testid="compare-field"
          onChange={(e) => setField(e.target.value)}
        >
          {fields.map((f) => (
            <option key={f} value={f}>
              {all[f]?.label ?? f}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-values`}>2–4 values, separated by commas</label>
        <input
          id={`${id}-values`}
          type="text"
          value={values}
          data-testid="compare-values"
          onChange={(e) => setValues(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="button" data-testid="compare-run" onClick={submit}>
          Compare
        </button>
        {error && (
          <p className="hint error" role="alert" data-testid="compare-error">
            {error}
          </p>
        )}
      </div>
    </details>
  );
}

/** The model's controls, generated from its spec: the fields it lists, in its order. */
export function Controls() {
  const model = useStore((s) => s.recipe.model);
  return (
    <form
      className="controls"
      aria-label="Experiment settings"
      onSubmit={(e) => e.preventDefault()}
    >
      <Presets />
      <ComparePresets />
      <CompareBuilder />
      {specOf(model).controls.map((name) => (
        <FieldControl key={name} name={name} />
      ))}
    </form>
  );
}

/** The control of one field (or group) of the current model, as its spec describes it. */
export function FieldControl({ name }: { name: string }) {
  const model = useStore((s) => s.recipe.model);
  const g = groupsOf(model)[name];
  if (g) return g.control === 'none' ? null : <FieldGroup name={name} field={g} />;
  const f = fieldsOf(model)[name];
  if (!f || f.control === 'none') return null;
  if (f.kind === 'enum') return <FieldChoice name={name} field={f} />;
  if (f.control === 'seed') return <SeedControl field={f} />;
  return <FieldSlider name={name} field={f} />;
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
