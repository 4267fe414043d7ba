// What a model declares to the rest of the app (pure data, no DOM, no tfjs): its recipe fields,
// the order its controls appear in, its metrics, its presets and how it stores points for the
// memory caps. Recipe parsing, links, the CLI, the caps and the controls read the specs.
import type { Field, Values } from '../fields';
import type { PointStorage } from '../generation/caps';

/**
 * How a one-line summary says a metric's median (the screen readers' live summary and the data
 * tables): `before`, the number, `after`, joined by spaces. A `relative` metric is said as a share
 * of generation 0's ("spread 0.61 of the original").
 */
export interface SpokenMetric {
  before?: string;
  after?: string;
  /** Multiplies the value first (100 for a percentage). */
  times?: number;
  /** Significant digits (default 3). */
  digits?: number;
  relative?: boolean;
}

/**
 * What the screens know of one metric, written once: its chart's title and axis label (with the
 * unit), the axis scale, how a summary says it and how the phase diagram colours it. A metric
 * without an entry is shown by its name on a linear scale.
 */
export interface MetricInfo {
  /** The figure's title. */
  title?: string;
  /** The value axis' label, with its unit. */
  label?: string;
  /** The figure's value scale: log for spreads and counts spanning decades (default linear). */
  scale?: 'log' | 'linear';
  /** The real data's value where it is one number for every recipe (a reference line). */
  reference?: { value: number; label: string };
  spoken?: SpokenMetric;
  /** The phase diagram's colour scale (default linear). */
  phaseScale?: 'log' | 'linear';
  /** The level of the theory boundary the phase diagram draws, where the model has a theory. */
  phaseBoundary?: { level: number; label: string };
}

export interface Preset {
  name: string;
  /** A sentence on where it comes from. */
  title: string;
  /** Fields it sets; the rest keep the model's defaults (and the reader's seed). */
  recipe: Record<string, unknown>;
}

/**
 * What a spec's hooks are given: a parsed recipe of its model. `R` is written from the spec's own
 * fields (`Values<F>`, plus its derived values), not from recipe.ts's RecipeFor: RecipeFor is
 * computed from the specs, so a spec typed by it would be a circle TypeScript cannot resolve.
 * Callers outside a spec reach the hooks through recipe.ts (specOf, forRecipe), typed by model.
 */
export interface ModelSpec<
  F extends Record<string, Field> = Record<string, Field>,
  R extends object = Values<F>,
> {
  /** The tab's name. */
  displayName: string;
  fields: F;
  /** Fields with a control, in the order they appear. */
  controls: readonly (keyof F & string)[];
  metrics: readonly string[];
  /** What the screens show of the metrics, by name. */
  metricInfo: { readonly [metric: string]: MetricInfo };
  /** The (at most two) metrics a one-line summary says, in order (default: the first two). */
  spoken?: readonly string[];
  /** The metric a class predicts in the classroom (default: the first, by its name). */
  classMetric?: string;
  presets: readonly Preset[];
  /**
   * Fields computed from others (the mixture's dimension), written into a parsed recipe, and
   * limits that depend on other fields; returns a warning (or several) for each change.
   */
  derive?(recipe: R, input: Record<string, unknown>): string | readonly string[] | null;
  /** Names of the derived fields (accepted in input, not in links). */
  derived?: readonly string[];
  /** Type-only marker of the derived values' types (undefined at run time). */
  derivedValues?: Record<string, unknown>;
  /**
   * True when the recipe's chains are independent CPU work that a pool of workers may split by
   * chains (the numbers stay the same: each chain draws from its own streams).
   */
  parallelChains?(recipe: R): boolean;
  /** Closed-form theory per generation where there is one (the CLI prints it), else null. */
  theory?(recipe: R): unknown;
  /**
   * The closed form of one metric per generation 0…generations (what the theory curve draws), or
   * null where the model has none for that metric or recipe.
   */
  metricTheory?(recipe: R, metric: string): number[] | null;
  /** Why no theory curve is shown for `recipe` (a sentence), or null when it is. */
  theoryNote?(recipe: R): string | null;
  /** How a run of `recipe` stores its points (for the caps). */
  storage(recipe: R): PointStorage;
  /**
   * The cost of one point of one generation of one chain, relative to the 1-D Gaussian's draw and
   * refit (for the work cap, generation/caps.ts capWork). Every model has one: a link cannot ask
   * any model for more than a page can do.
   */
  workPerPoint(recipe: R): number;
  /**
   * Minutes of work (at the Gaussian's reference speed, caps.ts MAX_WORK a minute) a run may ask
   * for before the cap cuts it; default 1. Trained models get longer: a reader expects a neural
   * network to train for minutes, and no slider's end alone should be cut.
   */
  workMinutes?: number;
}
