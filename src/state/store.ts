// The app's one zustand store, in slices: the recipe, the run (status, timing, messages), the
// streamed results, and the view (which generation is shown, playback).
import { create } from 'zustand';
import type { GenerationResult } from '../core/loop';
import { type FieldName, parseRecipe, type Recipe } from '../core/recipe';
import { type GaussianTheory, gaussianTheory, theoryUnavailable } from '../core/theory';

export type RunStatus = 'idle' | 'running' | 'done' | 'error';

export interface AppState {
  recipe: Recipe;
  /** Messages about the recipe (clamped values, dropped link fields). */
  messages: string[];

  status: RunStatus;
  runError: string | null;
  elapsedMs: number | null;
  /** Bumped on every new run so views can reset. */
  runId: number;

  results: GenerationResult[];
  theory: GaussianTheory | null;
  theoryNote: string | null;

  /** Generation shown; null means "follow the newest". */
  cursor: number | null;
  playing: boolean;

  setRecipe(recipe: Recipe, messages?: string[]): void;
  setField(field: FieldName, value: number | string): void;
  startRun(): number;
  appendResults(runId: number, batch: GenerationResult[]): void;
  finishRun(runId: number, status: RunStatus, elapsedMs: number, error?: string): void;
  setCursor(generation: number | null): void;
  setPlaying(playing: boolean): void;
  dismissMessages(): void;
}

export const useStore = create<AppState>()((set, get) => ({
  recipe: parseRecipeOrThrow({}),
  messages: [],
  status: 'idle',
  runError: null,
  elapsedMs: null,
  runId: 0,
  results: [],
  theory: null,
  theoryNote: null,
  cursor: null,
  playing: false,

  setRecipe(recipe, messages = []) {
    const cursor = get().cursor;
    set({
      recipe,
      messages,
      theory: gaussianTheory(recipe),
      theoryNote: theoryUnavailable(recipe),
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
  startRun() {
    const runId = get().runId + 1;
    set({ runId, status: 'running', runError: null, elapsedMs: null, results: [] });
    return runId;
  },
  appendResults(runId, batch) {
    if (runId !== get().runId) return;
    set({ results: get().results.concat(batch) });
  },
  finishRun(runId, status, elapsedMs, error) {
    if (runId !== get().runId) return;
    set({ status, elapsedMs, runError: error ?? null });
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
}));

function parseRecipeOrThrow(input: unknown): Recipe {
  const parsed = parseRecipe(input);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.recipe;
}

/** The generation on screen: the cursor, or the newest computed one. */
export function shownGeneration(s: Pick<AppState, 'cursor' | 'results'>): number {
  const newest = s.results.length - 1;
  return s.cursor === null ? Math.max(0, newest) : Math.min(s.cursor, Math.max(0, newest));
}
