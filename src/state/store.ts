// The app's zustand store, in slices: the recipe, the run (status, timing, backend, messages),
// the streamed results, and the view (which generation is shown, playback). The lab has one
// (`labStore`); each figure of the story has its own. Components reach theirs through
// StoreContext (`useStore`, `useStoreApi`), so one view renders in the lab and the story alike.
import { createContext, useContext } from 'react';
import { createStore, type StoreApi, useStore as useZustandStore } from 'zustand';
import { type Comparison, rebase } from '../core/comparison';
import type { GenerationResult } from '../core/generation/types';
import type { ModelResults } from '../core/models/results';
import { type AnyRecipe, DEFAULT_RECIPES, groupsOf, type Model, parseRecipe } from '../core/recipe';
import type { BackendInfo, Notice, Progress } from '../engine/job/protocol';
import { guardResult, type ShownResult } from './guard';
import { mergeNotes } from './notes';

/** A model's results as views get them (through the guard). */
export type ResultOf<M extends Model> =
  ModelResults[M] extends GenerationResult<infer Metric, infer Shown>
    ? ShownResult<Metric, Shown>
    : never;

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface AppState {
  recipe: AnyRecipe;
  /** Messages about the recipe (clamped values, dropped link fields). */
  messages: string[];

  status: RunStatus;
  runError: string | null;
  elapsedMs: number | null;
  /** Bumped on every new run so views can reset. */
  runId: number;
  /** The tfjs backend running the model, and why (models that use tfjs). */
  backend: BackendInfo | null;
  /** Progress inside a generation (models that train for a while). */
  progress: Progress | null;

  /**
   * A lockstep comparison (variants of the recipe differing in one field), or null. While one is
   * on, every variant runs and `results` is the first variant's.
   */
  comparison: Comparison | null;
  /** Streamed results of each variant of the comparison (the first is `results`). */
  variants: ShownResult[][];

  /** Streamed per-generation results of the current run, of model `resultsModel`, guarded. */
  results: ShownResult[];
  resultsModel: Model;
  /** What the guard left out of the results, and what the run reported (refits, fallbacks). */
  notes: string[];

  /** Generation shown; null means "follow the newest". */
  cursor: number | null;
  playing: boolean;
  /** Bumped by the reader's Cancel; the controller stops the running job. */
  cancelRequests: number;

  setRecipe(recipe: AnyRecipe, messages?: string[]): void;
  setField(field: string, value: number | string): void;
  /** Starts (or, with null, ends) a comparison; its variants are built on the current recipe. */
  setComparison(comparison: Comparison | null, messages?: string[]): void;
  /** Sets a recipe and its comparison (built on that recipe) at once: a link, a preset. */
  setExperiment(recipe: AnyRecipe, comparison: Comparison | null, messages?: string[]): void;
  switchModel(model: Model): void;
  startRun(): number;
  /** Adds a batch of generations of the run `runId` (of its comparison's variant `variant`). */
  appendResults(runId: number, batch: GenerationResult[], variant?: number): void;
  addNotice(runId: number, notice: Notice): void;
  setBackend(runId: number, backend: BackendInfo): void;
  setProgress(runId: number, progress: Progress | null): void;
  finishRun(runId: number, status: RunStatus, elapsedMs: number, error?: string): void;
  setCursor(generation: number | null): void;
  setPlaying(playing: boolean): void;
  dismissMessages(): void;
  /** Shows messages about the recipe without changing it (an import that failed). */
  showMessages(messages: string[]): void;
  requestCancel(): void;
}

export type AppStore = StoreApi<AppState>;

/** A store showing `recipe` (by default the Gaussian's default), with nothing run yet. */
export const createAppStore = (recipe: AnyRecipe = DEFAULT_RECIPES.gaussian1d): AppStore =>
  createStore<AppState>()((set, get) => ({
    recipe,
    messages: [],
    status: 'idle',
    runError: null,
    elapsedMs: null,
    runId: 0,
    backend: null,
    progress: null,
    comparison: null,
    variants: [],
    results: [],
    resultsModel: recipe.model,
    notes: [],
    cursor: null,
    playing: false,
    cancelRequests: 0,

    setRecipe(recipe, messages = []) {
      const cursor = get().cursor;
      // A comparison follows the recipe: its variants are rebuilt on the new one (and dropped,
      // with a message, if the new recipe is of another model or cannot take the values).
      let comparison = get().comparison;
      if (comparison) {
        const rebased =
          recipe.model === comparison.variants[0].recipe.model
            ? rebase(comparison, recipe)
            : ({ ok: false, error: 'The comparison ended: another model.' } as const);
        comparison = rebased.ok ? rebased.comparison : null;
        if (!rebased.ok) messages = [...messages, rebased.error];
      }
      set({
        recipe,
        messages,
        comparison,
        cursor: cursor === null ? null : Math.min(cursor, recipe.generations),
      });
    },
    setComparison(comparison, messages = []) {
      set({ comparison, messages, playing: false, cursor: null });
    },
    setExperiment(recipe, comparison, messages = []) {
      const cursor = get().cursor;
      set({
        recipe,
        comparison,
        messages,
        cursor: cursor === null ? null : Math.min(cursor, recipe.generations),
      });
    },
    setField(field, value) {
      const parsed = parseRecipe({ ...get().recipe, [field]: value });
      if (!parsed.ok) {
        set({ messages: [parsed.error] });
        return;
      }
      get().setRecipe(parsed.recipe, parsed.warnings);
    },
    switchModel(model) {
      const current = get().recipe;
      if (current.model === model) return;
      // Keep what the models share and the reader has set: the seed and the data settings.
      // Mitigations are the loop's, so every model has them: they carry over too.
      const { seed, syntheticFraction, regime, realData, temperature } = current;
      const mitigations = Object.fromEntries(
        Object.keys(groupsOf(model))
          .map((g) => [g, (current as unknown as Record<string, unknown>)[g]])
          .filter(([, v]) => v !== undefined),
      );
      const parsed = parseRecipe({
        ...DEFAULT_RECIPES[model],
        seed,
        syntheticFraction,
        regime,
        realData,
        temperature,
        ...mitigations,
      });
      set({ playing: false, cursor: null, comparison: null });
      if (parsed.ok) get().setRecipe(parsed.recipe, parsed.warnings);
      else get().setRecipe(DEFAULT_RECIPES[model], [parsed.error]);
    },
    startRun() {
      const runId = get().runId + 1;
      set({
        runId,
        status: 'running',
        runError: null,
        elapsedMs: null,
        results: [],
        variants: get().comparison ? (get().comparison?.variants.map(() => []) ?? []) : [],
        resultsModel: get().recipe.model,
        notes: [],
        progress: null,
      });
      return runId;
    },
    appendResults(runId, batch, variant = 0) {
      if (runId !== get().runId) return;
      const guarded = batch.map(guardResult);
      const notes = guarded.flatMap((g) => g.notes);
      const { variants } = get();
      const update: Partial<AppState> = {};
      if (variant < variants.length) {
        const next = variants.slice();
        next[variant] = variants[variant].concat(guarded);
        update.variants = next;
      }
      if (variant === 0) update.results = get().results.concat(guarded);
      if (notes.length) update.notes = mergeNotes(get().notes, notes);
      set(update);
    },
    addNotice(runId, notice) {
      if (runId !== get().runId) return;
      set({ notes: mergeNotes(get().notes, [notice.message]) });
    },
    setBackend(runId, backend) {
      if (runId === get().runId) set({ backend });
    },
    setProgress(runId, progress) {
      if (runId === get().runId) set({ progress });
    },
    finishRun(runId, status, elapsedMs, error) {
      if (runId !== get().runId) return;
      set({ status, elapsedMs, runError: error ?? null, progress: null });
    },
    setCursor(generation) {
      const last = get().recipe.generations;
      set({ cursor: generation === null || generation >= last ? null : Math.max(0, generation) });
    },
    setPlaying(playing) {
      set({ playing });
    },
    dismissMessages() {
      set({ messages: [] });
    },
    showMessages(messages) {
      set({ messages });
    },
    requestCancel() {
      if (get().status === 'running') set({ cancelRequests: get().cancelRequests + 1 });
    },
  }));

/** The lab's store (the page's address and controls drive it). */
export const labStore = createAppStore();

const StoreContext = createContext<AppStore>(labStore);
/** Gives the components inside it `store` (the lab's store where none is given). */
export const StoreProvider = StoreContext.Provider;

/** The nearest store (StoreProvider's, else the lab's). */
export function useStoreApi(): AppStore {
  return useContext(StoreContext);
}

/** A slice of the nearest store; re-renders when it changes. */
export function useStore<T>(selector: (state: AppState) => T): T {
  return useZustandStore(useStoreApi(), selector);
}

const NONE: never[] = [];

/** The current run's results when they are of `model` (else none: a run of another is starting). */
export function resultsOf<M extends Model>(
  s: Pick<AppState, 'results' | 'resultsModel'>,
  model: M,
): ResultOf<M>[] {
  // The tag says which model produced them: the one place the results are narrowed.
  return s.resultsModel === model ? (s.results as unknown as ResultOf<M>[]) : NONE;
}

/** The generation on screen: the cursor, or the newest computed one. */
export function shownGeneration(s: Pick<AppState, 'cursor' | 'results'>): number {
  const newest = s.results.length - 1;
  return s.cursor === null ? Math.max(0, newest) : Math.min(s.cursor, Math.max(0, newest));
}
