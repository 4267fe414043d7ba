// Recipe fields: what a model spec declares about each of its settings — type, limits, default,
// the short name in links, the label and how a control shows it. Recipe parsing, the URL codec,
// the CLI, the caps and the generated controls all read these; nothing else repeats them.
import { CURATION_BY, REAL_DATA, REGIMES } from './generation/types';

/** How a control shows a number. */
export type NumberDisplay = 'count' | 'percent' | 'fixed2' | 'exponent' | 'plain';

export interface NumberField {
  kind: 'int' | 'number';
  min: number;
  max: number;
  default: number;
  /** Short name used in share links. */
  short: string;
  label: string;
  /** Slider scale: log for counts and rates spanning decades. */
  scale?: 'linear' | 'log';
  /** Slider step (on the log10 scale for log sliders). */
  step?: number;
  display?: NumberDisplay;
  hint?: string;
  /** Not shown as a slider (the seed has its own control). */
  control?: 'none' | 'seed';
  /** The control's data-testid (default: the field's name). */
  testId?: string;
  /** In a group: the control shows only while this sibling enum sub-field has this value. */
  shownWhen?: readonly [field: string, value: string];
}
export interface EnumField<T extends string = string> {
  kind: 'enum';
  values: readonly T[];
  default: T;
  short: string;
  label: string;
  /** Display name of each value. */
  names?: Partial<Record<T, string>>;
  hint?: string;
  control?: 'none';
  /** In a group: the control shows only while this sibling enum sub-field has this value. */
  shownWhen?: readonly [field: string, value: string];
}
/** A field holding one value (what a link writes under the field's short name). */
export type ScalarField = NumberField | EnumField;

/**
 * An optional nested object of number and enum sub-fields (a mitigation: `filter`, …): absent
 * means off. Each sub-field has its own limits, default, label and short name in links (short
 * names are unique across the whole model, sub-fields included); a link writes a present group's
 * sub-fields under their short names and reads the group back when any of them is there.
 */
export interface GroupField<S extends Record<string, ScalarField> = Record<string, ScalarField>> {
  kind: 'group';
  label: string;
  fields: S;
  hint?: string;
  control?: 'none';
}
export type Field = ScalarField | GroupField;

type NumberOptions = Pick<
  NumberField,
  'scale' | 'step' | 'display' | 'hint' | 'control' | 'testId' | 'shownWhen'
>;

const numberField =
  (kind: NumberField['kind']) =>
  (
    short: string,
    label: string,
    min: number,
    max: number,
    def: number,
    o: NumberOptions = {},
  ): NumberField => ({ kind, short, label, min, max, default: def, ...o });
/** A whole-number field (rounded, with a warning, when a link gives a fraction). */
export const int = numberField('int');
export const num = numberField('number');
export const choice = <T extends string>(
  short: string,
  label: string,
  values: readonly T[],
  def: T,
  o: Pick<EnumField<T>, 'names' | 'hint' | 'control'> = {},
): EnumField<T> => ({ kind: 'enum', short, label, values, default: def, ...o });

export const group = <S extends Record<string, ScalarField>>(
  label: string,
  fields: S,
  o: Pick<GroupField<S>, 'hint' | 'control'> = {},
): GroupField<S> => ({ kind: 'group', label, fields, ...o });

type GroupKeys<F> = { [K in keyof F]: F[K] extends GroupField ? K : never }[keyof F];

/**
 * A number field's value type; an enum field's union of values; a group's object of its
 * sub-fields' values, as an optional property (absent: off).
 */
export type Values<F> = {
  -readonly [K in Exclude<keyof F, GroupKeys<F>>]: F[K] extends EnumField<infer T> ? T : number;
} & {
  -readonly [K in GroupKeys<F>]?: F[K] extends GroupField<infer S> ? Values<S> : never;
};

/**
 * The mitigations (docs/architecture.md, "Mitigations"), optional groups. `gens` is the model's
 * [most generations, default generations]: the schedule ramps over half the default by default.
 */
export function mitigationFields(gens: [number, number]) {
  return {
    syntheticSchedule: group(
      'The web fills up: synthetic share ramps',
      {
        from: num('sf', 'Share at generation 1', 0, 1, 0, {
          step: 0.01,
          display: 'percent',
        }),
        to: num('st', 'Share from then on', 0, 1, 1, { step: 0.01, display: 'percent' }),
        over: int(
          'so',
          'Generation the ramp reaches it',
          1,
          gens[0],
          Math.max(1, Math.round(gens[1] / 2)),
          {
            scale: 'log',
            display: 'count',
          },
        ),
      },
      { hint: 'Replaces the fixed synthetic share: linear from generation 1, constant after.' },
    ),
    filter: group(
      'Watermark filter',
      {
        truePositiveRate: num('tpr', 'Synthetic points caught', 0, 1, 0.9, {
          step: 0.01,
          display: 'percent',
        }),
        falsePositiveRate: num('fpr', 'Real points wrongly dropped', 0, 1, 0.05, {
          step: 0.01,
          display: 'percent',
        }),
      },
      {
        hint: 'From generation 1 on, flagged points are dropped, not replaced; a chain left with too few keeps its model.',
      },
    ),
    curation: group(
      'Curation of synthetic data',
      {
        keep: num('ck', 'Share of candidates kept', 0.1, 1, 0.5, {
          step: 0.01,
          display: 'percent',
        }),
        by: choice('cb', 'Ranked by', CURATION_BY, 'model', {
          names: { model: "The model's own likelihood", verifier: 'A verifier of real data' },
        }),
        accuracy: num('ca', 'Verifier accuracy', 0, 1, 0.9, {
          step: 0.01,
          display: 'percent',
          hint: '100 %: it resamples toward the real distribution; 0 %: it keeps a random subset.',
          shownWhen: ['by', 'verifier'],
        }),
      },
      { hint: 'Draws more candidates and keeps the top share by the score.' },
    ),
  };
}

/** The loop's fields, shared by every model; each model sets its own defaults and limits. */
export function loopFields(o: {
  M: [number, number, number];
  gens: [number, number];
  reps: [number, number];
}) {
  return {
    samplesPerGeneration: int('M', 'Samples per generation M', o.M[0], o.M[1], o.M[2], {
      scale: 'log',
      display: 'count',
      testId: 'samples',
    }),
    generations: int('gens', 'Generations', 1, o.gens[0], o.gens[1], {
      scale: 'log',
      display: 'count',
      testId: 'generations',
    }),
    replicates: int('reps', 'Replicate chains', 1, o.reps[0], o.reps[1], {
      scale: 'log',
      display: 'count',
      testId: 'replicates',
    }),
    seed: int('seed', 'Seed', 0, 4_294_967_295, 1, { control: 'seed' }),
    syntheticFraction: num('synth', 'Synthetic share of training data', 0, 1, 1, {
      step: 0.01,
      display: 'percent',
      testId: 'synthetic-share',
      hint: "The rest of each generation's training set is real data.",
    }),
    regime: choice('regime', "Each generation's training set", REGIMES, 'replace', {
      names: { replace: 'Replace', accumulate: 'Accumulate', 'accumulate-subsample': 'Subsample' },
    }),
    realData: choice('real', 'Real data', REAL_DATA, 'fresh', {
      names: { fresh: 'Fresh each time', fixed: 'Same set' },
    }),
    temperature: num('temp', 'Sampling temperature λ', 0.1, 2, 1, {
      step: 0.05,
      display: 'fixed2',
      testId: 'temperature',
      hint: 'λ < 1 samples the likelier points: quality over diversity.',
    }),
    ...mitigationFields(o.gens),
  };
}

type LoopField = keyof ReturnType<typeof loopFields>;

/**
 * The loop's controls, in the order every model lists them after its own: the sizes and the
 * training data, then `between` (a model's own controls shown there: the Gaussian's estimator),
 * the temperature unless the model shows it among its own (`temperature: false`: the language
 * model, beside its decoding), the mitigations and the seed.
 */
export function loopControls<B extends string = never>(
  o: { between?: readonly B[]; temperature?: boolean } = {},
): (LoopField | B)[] {
  return [
    'samplesPerGeneration',
    'generations',
    'replicates',
    'regime',
    'realData',
    ...(o.between ?? []),
    ...(o.temperature === false ? [] : (['temperature'] as const)),
    'syntheticSchedule',
    'filter',
    'curation',
    'seed',
  ];
}
