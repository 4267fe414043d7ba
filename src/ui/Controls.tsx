// The experiment's controls. Every control edits one recipe field through the store, which
// validates it; sliders on count fields move on a log scale.
import { useId } from 'react';
import {
  DEFAULT_RECIPES,
  ENGINES,
  ESTIMATORS,
  fieldsOf,
  type Model,
  parseRecipe,
  REAL_DATA,
  REAL_DISTRIBUTIONS,
  RECIPE_FIELDS,
  REGIMES,
} from '../core/recipe';
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

const count = (v: number) => v.toLocaleString('en');

/** A count field on a log-scale slider, its range from the model's field table. */
function LogSlider({ field, label, testId }: { field: string; label: string; testId: string }) {
  const spec = useStore((s) => fieldsOf(s.recipe.model)[field]) as { min: number; max: number };
  return (
    <Slider
      field={field}
      label={label}
      min={Math.log10(spec.min)}
      max={Math.log10(spec.max)}
      step={0.01}
      toSlider={log10}
      fromSlider={pow10}
      display={count}
      testId={testId}
    />
  );
}

interface Preset {
  name: string;
  title: string;
  recipe: Record<string, unknown>;
}

const PRESETS: Record<Model, Preset[]> = {
  gaussian1d: [
    {
      name: 'Pure collapse',
      title: 'Shumailov et al.: M = 100, 1,000 generations, no real data',
      recipe: {
        samplesPerGeneration: 100,
        generations: 1000,
        replicates: 500,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
    {
      name: 'Keep 10 % real',
      title: 'Each generation keeps 10 % fresh real data',
      recipe: {
        samplesPerGeneration: 100,
        generations: 1000,
        replicates: 500,
        syntheticFraction: 0.9,
        regime: 'replace',
      },
    },
    {
      name: 'Accumulate',
      title: 'Gerstgrasser et al.: keep all earlier data',
      recipe: {
        samplesPerGeneration: 100,
        generations: 1000,
        replicates: 200,
        syntheticFraction: 1,
        regime: 'accumulate',
      },
    },
  ],
  gmm: [
    {
      name: 'Curse of Recursion GMM',
      title: 'Shumailov et al.: 2-D N(0, I), M = 1,000, K = 2, 2,050 generations',
      recipe: {
        realDistribution: 'gaussian2d',
        samplesPerGeneration: 1000,
        components: 2,
        generations: 2050,
        replicates: 16,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
    {
      name: '25 modes',
      title: 'Alemohammad et al. (MAD): a 5 × 5 grid of modes, K = 25',
      recipe: {
        realDistribution: 'grid25',
        samplesPerGeneration: 1000,
        components: 25,
        generations: 200,
        replicates: 8,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
    {
      name: 'Ring of 8',
      title: '8 modes on a circle, K = 8',
      recipe: {
        realDistribution: 'ring8',
        samplesPerGeneration: 500,
        components: 8,
        generations: 300,
        replicates: 16,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
    {
      name: '1-D bimodal',
      title: 'Two modes on a line, K = 2',
      recipe: {
        realDistribution: 'bimodal1d',
        samplesPerGeneration: 200,
        components: 2,
        generations: 300,
        replicates: 32,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
  ],
  vae: [],
};

function Presets() {
  const model = useStore((s) => s.recipe.model);
  const seed = useStore((s) => s.recipe.seed);
  const setRecipe = useStore((s) => s.setRecipe);
  const presets = PRESETS[model];
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

function GmmControls() {
  return (
    <>
      <Choice
        field="realDistribution"
        label="Real distribution"
        options={REAL_DISTRIBUTIONS}
        names={{
          gaussian2d: '2-D Gaussian',
          bimodal1d: '1-D two modes',
          ring8: 'Ring of 8',
          grid25: '5 × 5 grid',
        }}
      />
      <Slider
        field="components"
        label="Mixture components K"
        min={1}
        max={25}
        step={1}
        display={count}
        testId="components"
      />
      <Choice
        field="engine"
        label="Engine"
        options={ENGINES}
        names={{ auto: 'Fastest', ts: 'TypeScript', tfjs: 'tfjs (batched)' }}
      />
    </>
  );
}

function VaeControls() {
  return (
    <>
      <Slider
        field="latentSize"
        label="Latent size"
        min={2}
        max={16}
        step={1}
        display={count}
        testId="latent"
        hint="2 shows the latent space as a scatter."
      />
      <LogSlider field="hiddenSize" label="Hidden units" testId="hidden" />
      <LogSlider field="epochs" label="Epochs per generation" testId="epochs" />
      <LogSlider field="batchSize" label="Batch size" testId="batch" />
      <Slider
        field="learningRate"
        label="Learning rate"
        min={-5}
        max={-1}
        step={0.1}
        toSlider={(v) => Math.log10(v)}
        fromSlider={(p) => Number((10 ** p).toPrecision(2))}
        display={(v) => v.toExponential(0)}
        testId="learning-rate"
      />
    </>
  );
}

export function Controls() {
  const model = useStore((s) => s.recipe.model);
  return (
    <form
      className="controls"
      aria-label="Experiment settings"
      onSubmit={(e) => e.preventDefault()}
    >
      <Presets />
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
      {model === 'gmm' && <GmmControls />}
      {model === 'vae' && <VaeControls />}
      <LogSlider field="samplesPerGeneration" label="Samples per generation M" testId="samples" />
      <LogSlider field="generations" label="Generations" testId="generations" />
      <LogSlider field="replicates" label="Replicate chains" testId="replicates" />
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
      {model === 'gaussian1d' && (
        <Choice
          field="estimator"
          label="Variance estimate"
          options={ESTIMATORS}
          names={{ mle: 'MLE (÷n)', unbiased: 'Unbiased (÷n−1)' }}
        />
      )}
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

const MODEL_TABS: { model: Model; name: string }[] = [
  { model: 'gaussian1d', name: '1-D Gaussian' },
  { model: 'gmm', name: 'Gaussian mixtures' },
  { model: 'vae', name: 'VAE on MNIST' },
];

/** Which experiment the lab shows; each keeps the seed and data settings across a switch. */
export function ModelTabs() {
  const model = useStore((s) => s.recipe.model);
  const switchModel = useStore((s) => s.switchModel);
  return (
    <div className="model-tabs" role="tablist" aria-label="Experiment">
      {MODEL_TABS.map((t) => (
        <button
          key={t.model}
          type="button"
          role="tab"
          aria-selected={t.model === model}
          className={t.model === model ? 'selected' : ''}
          data-testid={`tab-${t.model}`}
          onClick={() => switchModel(t.model)}
        >
          {t.name}
        </button>
      ))}
    </div>
  );
}
