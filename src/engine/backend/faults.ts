// Backend faults, as the worker reports them (no tfjs here: the Gaussian's worker never loads it).
// A run that fails while a tfjs backend above plain JavaScript is active (a lost WebGPU device or
// WebGL context, a kernel that throws, a backend that reads back garbage) ends with a backend
// fault; the page then runs it again on the next rung of the ladder in a fresh worker, replaying
// what it already shows (engine/pool/pool.ts). setup.ts registers how to read the active backend
// and the test-only fault injections (`?test` pages).
import { BackendLost, RunCancelled } from '../job/context';

export interface BackendFault {
  backend: string;
  reason: string;
}

/** Faults a test page may inject into a worker's tfjs. */
export type InjectedFault = 'lose-device' | 'lose-context';

let activeBackend: (() => string | null) | null = null;
/** Which backend was lost and why (a device-loss or context-loss event), until taken. */
let lost: BackendFault | null = null;
let injector: ((fault: InjectedFault) => string) | null = null;

/** setup.ts: how to read tfjs's active backend, and how to break it for a test. */
export function registerTfjs(
  backend: () => string | null,
  inject: (fault: InjectedFault) => string,
): void {
  activeBackend = backend;
  injector = inject;
}

/** The backend fault behind `error`, or null (no tfjs, plain JavaScript, a cap, a cancel). */
export function backendFault(error: unknown): BackendFault | null {
  if (error instanceof RangeError || error instanceof RunCancelled) return null;
  // A loss names the backend it happened on (a model may have moved down a rung since).
  if (error instanceof BackendLost) return error.fault;
  const backend = activeBackend?.() ?? null;
  if (!backend || backend === 'cpu') return null;
  const reason = error instanceof Error ? error.message : String(error);
  return { backend, reason: reason.split('\n')[0].slice(0, 300) };
}

/** Breaks this worker's tfjs backend as asked; says what it did (or why it could not). */
export function injectFault(fault: InjectedFault): string {
  return injector ? injector(fault) : 'tfjs is not loaded in this worker';
}

/** Records that the active backend was lost (its event fired): the run stops at its next check. */
export function noteLost(why: string, backend?: string): void {
  if (lost) return;
  lost = { backend: backend ?? activeBackend?.() ?? 'unknown', reason: why };
  for (const listener of listeners) listener(lost);
}

const listeners = new Set<(fault: BackendFault) => void>();

/** Calls `listener` when a loss is noted (a run waiting on a dead GPU then ends at once). */
export function onLost(listener: (fault: BackendFault) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The loss recorded since the last call, if any (and forgets it). */
export function takeLost(): BackendFault | null {
  const fault = lost;
  lost = null;
  return fault;
}
