// The backend ladder: webgpu → webgl → wasm → cpu. Each candidate is loaded, switched to and
// verified with a tiny computation whose answer is known (tfjs can report a backend that silently
// produces zeros), then the working ones race on a short probe of the real workload. The result
// says which backend runs and why, for the badge.
import * as tf from '@tensorflow/tfjs';

import { BACKEND_LABELS, BACKENDS, type BackendName } from './names';

export { BACKEND_LABELS, BACKENDS, type BackendName };

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it could not be used. */
  error?: string;
  /** Median probe time, when probed. */
  probeMs?: number;
}

export interface BackendChoice {
  name: BackendName;
  /** One sentence for the badge, e.g. "WebGPU unavailable — using WebGL". */
  reason: string;
  attempts: BackendAttempt[];
}

export interface ChooseOptions {
  /** Candidates in order of preference (the environment's ladder). */
  candidates: readonly BackendName[];
  /** Registers a backend's module (dynamic import); may throw. */
  load: (name: BackendName) => Promise<void>;
  /** `?backend=` override: use it if it works, else fall down the ladder from it. */
  override?: string | null;
  /** A short piece of the real workload; the fastest backend on it wins. */
  probe?: () => Promise<void>;
  /** Probe repetitions after one warm-up run. */
  probeRuns?: number;
  /**
   * Backends that cannot win here (e.g. WebGPU on a software adapter), with why: left out of
   * the ladder unless the override names them.
   */
  skip?: Partial<Record<BackendName, string>>;
}

/** Checks that the active backend computes a known product correctly. */
export async function verifyBackend(): Promise<void> {
  const [a, b] = [tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])];
  const c = tf.matMul(a, b);
  const got = await c.data();
  tf.dispose([a, b, c]);
  const want = [19, 22, 43, 50];
  if (!want.every((w, i) => Math.abs(got[i] - w) < 1e-3)) {
    throw new Error(`computed ${Array.from(got).join(',')} instead of ${want.join(',')}`);
  }
}

async function tryBackend(name: BackendName, load: ChooseOptions['load']): Promise<BackendAttempt> {
  try {
    await load(name);
    const ok = await tf.setBackend(name);
    if (!ok || tf.getBackend() !== name) return { name, ok: false, error: 'not available here' };
    await tf.ready();
    await verifyBackend();
    return { name, ok: true };
  } catch (e) {
    return { name, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

async function timeProbe(probe: () => Promise<void>, runs: number): Promise<number> {
  await probe(); // warm-up: shader compilation, kernel caches
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await probe();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function isBackend(s: string | null | undefined): s is BackendName {
  return !!s && (BACKENDS as readonly string[]).includes(s);
}

export async function chooseBackend(options: ChooseOptions): Promise<BackendChoice> {
  const { candidates, load, probe } = options;
  const attempts: BackendAttempt[] = [];
  const notes: string[] = [];
  let order = [...candidates];
  let forced: BackendName | null = null;
  if (options.override) {
    if (!isBackend(options.override)) {
      notes.push(`unknown backend "${options.override}" ignored`);
    } else if (!candidates.includes(options.override)) {
      notes.push(`${options.override} is not offered here`);
    } else {
      forced = options.override;
      order = order.slice(order.indexOf(forced));
    }
  }

  for (const [name, why] of Object.entries(options.skip ?? {}) as [BackendName, string][]) {
    if (name === forced || !order.includes(name)) continue;
    order = order.filter((n) => n !== name);
    attempts.push({ name, ok: false, error: why });
  }

  const working: BackendName[] = [];
  for (const name of order) {
    const attempt = await tryBackend(name, load);
    attempts.push(attempt);
    if (!attempt.ok) continue;
    working.push(name);
    if (forced || !probe) break; // an override or no probe: the first that works
  }
  if (working.length === 0) throw new Error('no tfjs backend works here');

  let chosen = working[0];
  // The cpu backend never beats wasm; it is only the last resort.
  const racers = working.includes('wasm') ? working.filter((n) => n !== 'cpu') : working;
  if (probe && !forced && racers.length > 1) {
    for (const name of racers) {
      await tf.setBackend(name);
      const attempt = attempts.find((a) => a.name === name) as BackendAttempt;
      try {
        attempt.probeMs = await timeProbe(probe, options.probeRuns ?? 3);
      } catch (e) {
        attempt.ok = false;
        attempt.error = `probe failed: ${e instanceof Error ? e.message : e}`;
      }
    }
    const timed = attempts.filter((a) => a.ok && a.probeMs !== undefined);
    if (timed.length === 0) throw new Error('every tfjs backend failed the probe');
    chosen = timed.reduce((best, a) =>
      (a.probeMs as number) < (best.probeMs as number) ? a : best,
    ).name;
  }
  await tf.setBackend(chosen);
  return { name: chosen, reason: describeChoice(chosen, attempts, forced, notes), attempts };
}

function describeChoice(
  chosen: BackendName,
  attempts: BackendAttempt[],
  forced: BackendName | null,
  notes: string[],
): string {
  const label = BACKEND_LABELS[chosen];
  const parts: string[] = [];
  if (forced === chosen) parts.push(`${label}, as the link asked`);
  else if (forced) {
    const why = attempts.find((a) => a.name === forced)?.error;
    parts.push(`${BACKEND_LABELS[forced]} failed${why ? ` (${why})` : ''} — using ${label}`);
  } else {
    const rank = (n: BackendName) => BACKENDS.indexOf(n);
    for (const a of attempts.filter((a) => !a.ok && rank(a.name) < rank(chosen))) {
      parts.push(`${BACKEND_LABELS[a.name]} unavailable (${a.error})`);
    }
    const raced = attempts.filter((a) => a.ok && a.probeMs !== undefined);
    const winner = raced.find((a) => a.name === chosen);
    if (raced.length > 1 && winner) {
      const others = raced
        .filter((a) => a.name !== chosen)
        .map((a) => `${BACKEND_LABELS[a.name]} ${fmtMs(a.probeMs as number)}`)
        .join(', ');
      parts.push(
        `using ${label}, fastest in a short probe (${fmtMs(winner.probeMs as number)}; ${others})`,
      );
    } else parts.push(`using ${label}`);
  }
  return [...parts, ...notes].join(' — ');
}

const fmtMs = (ms: number) => `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
