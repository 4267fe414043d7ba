// What a model declares to the rest of the app (pure data, no DOM, no tfjs): its recipe fields,
// the order its controls appear in, its metrics, its presets and how it stores points for the
// memory caps. Recipe parsing, links, the CLI, the caps and the controls read the specs.
import type { Field } from '../fields';
import type { PointStorage } from '../generation/caps';

export interface Preset {
  name: string;
  /** A sentence on where it comes from. */
  title: string;
  /** Fields it sets; the rest keep the model's defaults (and the reader's seed). */
  recipe: Record<string, unknown>;
}

export interface ModelSpec<F extends Record<string, Field> = Record<string, Field>> {
  /** The tab's name. */
  displayName: string;
  fields: F;
  /** Fields with a control, in the order they appear. */
  controls: readonly (keyof F & string)[];
  metrics: readonly string[];
  presets: readonly Preset[];
  /**
   * Fields computed from others (the mixture's dimension), written into a parsed recipe, and
   * limits that depend on other fields; returns a warning (or several) for each change.
   */
  derive?(
    recipe: Record<string, unknown>,
    input: Record<string, unknown>,
  ): string | readonly string[] | null;
  /** Names of the derived fields (accepted in input, not in links). */
  derived?: readonly string[];
  /** Type-only marker of the derived values' types (undefined at run time). */
  derivedValues?: Record<string, unknown>;
  /**
   * True when the recipe's chains are independent CPU work that a pool of workers may split by
   * chains (the numbers stay the same: each chain draws from its own streams).
   */
  parallelChains?(recipe: Record<string, unknown>): boolean;
  /** Closed-form theory per generation where there is one (the CLI prints it), else null. */
  theory?(recipe: Record<string, unknown>): unknown;
  /**
   * The closed form of one metric per generation 0…generations (what the theory curve draws), or
   * null where the model has none for that metric or recipe.
   */
  metricTheory?(recipe: Record<string, unknown>, metric: string): number[] | null;
  /** Why no theory curve is shown for `recipe` (a sentence), or null when it is. */
  theoryNote?(recipe: Record<string, unknown>): string | null;
  /** How a run of `recipe` stores its points (for the caps). */
  storage(recipe: Record<string, unknown>): PointStorage;
  /**
   * The cost of one point of one generation of one chain, relative to the 1-D Gaussian's draw and
   * refit (for the work cap, generation/caps.ts capWork). Every model has one: a link cannot ask
   * any model for more than a page can do.
   */
  workPerPoint(recipe: Record<string, unknown>): number;
  /**
   * Minutes of work (at the Gaussian's reference speed, caps.ts MAX_WORK a minute) a run may ask
   * for before the cap cuts it; default 1. Trained models get longer: a reader expects a neural
   * network to train for minutes, and no slider's end alone should be cut.
   */
  workMinutes?: number;
}
