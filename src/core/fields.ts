// Recipe fields: what a model spec declares about each of its settings — type, limits, default,
// the short name in links, the label and how a control shows it. Recipe parsing, the URL codec,
// the CLI, the caps and the generated controls all read these; nothing else repeats them.
import { REAL_DATA, REGIMES } from './generation/types';

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
}
export type Field = NumberField | EnumField;

type NumberOptions = Pick<
  NumberField,
  'scale' | 'step' | 'display' | 'hint' | 'control' | 'testId'
>;

export const int = (
  short: string,
  label: string,
  min: number,
  max: number,
  def: number,
  o: NumberOptions = {},
): NumberField => ({ kind: 'int', short, label, min, max, default: def, ...o });
export const num = (
  short: string,
  label: string,
  min: number,
  max: number,
  def: number,
  o: NumberOptions = {},
): NumberField => ({ kind: 'number', short, label, min, max, default: def, ...o });
export const choice = <T extends string>(
  short: string,
  label: string,
  values: readonly T[],
  def: T,
  o: Pick<EnumField<T>, 'names' | 'hint' | 'control'> = {},
): EnumField<T> => ({ kind: 'enum', short, label, values, default: def, ...o });

/** A number field's value type; an enum field's union of values. */
export type Values<F> = {
  -readonly [K in keyof F]: F[K] extends EnumField<infer T> ? T : number;
};

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
  };
}
