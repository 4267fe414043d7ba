// Validation of the messages that cross the worker boundary, both ways (zod): a worker takes only a
// well-formed run request whose recipe parses, and the page takes only well-formed events and run
// ends. A malformed message is refused with one line naming its field (the path inside it), never
// acted on. The shapes are those of protocol.ts; numbers inside results may be ±∞ or NaN (the
// guard, state/guard.ts, decides what views see), so they are checked as numbers, not as finite.
import { type AnyRecipe, parseRecipe } from '../../core/recipe';
import { z } from '../../core/schema';
import type { RunEnd, RunEvent, RunOptions } from './protocol';

/** Any number, NaN and ±∞ included. */
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'expected a number');
const count = z.int().check(z.nonnegative());
const nonNegative = z.number().check(z.nonnegative());
const float64 = z.instanceof(Float64Array);
const text = (max: number) => z.string().check(z.maxLength(max));

const summary = z.looseObject({
  mean: anyNumber,
  median: anyNumber,
  q05: anyNumber,
  q25: anyNumber,
  q75: anyNumber,
  q95: anyNumber,
  nonFinite: z.optional(count),
});
const training = z.looseObject({ size: count, synthetic: count, real: count });
const trainingSample = z
  .object({
    values: z.instanceof(Float32Array),
    origin: z.instanceof(Int16Array),
    width: z.int().check(z.positive()),
  })
  .check(
    z.refine((s) => s.values.length === s.origin.length * s.width, {
      message: 'values and origin differ in length',
    }),
  );
const chainView = z.object({
  training,
  sample: z.nullable(trainingSample),
  // A model's own view (typed per model; the guard checks its numbers).
  shown: z.unknown(),
});
const mitigationTotals = z.record(z.string(), count);
const result = z.object({
  generation: count,
  stats: z.record(z.string(), summary),
  chain: chainView,
  mitigations: z.optional(mitigationTotals),
});
const part = z.object({
  generation: count,
  start: count,
  values: z.record(z.string(), float64),
  chain: z.nullable(chainView),
  mitigations: z.optional(mitigationTotals),
});
const backendInfo = z.object({
  name: z.enum(['webgpu', 'webgl', 'wasm', 'cpu', 'ts']),
  reason: text(2000),
});
const progress = z.object({
  phase: z.enum(['loading', 'backend', 'training', 'measuring']),
  generation: count,
  generations: count,
  chain: count,
  chains: count,
  epoch: count,
  epochs: count,
  step: count,
  steps: count,
  fraction: z.number().check(z.minimum(0), z.maximum(1)),
  etaMs: z.nullable(nonNegative),
});
const notice = z.object({ generation: count, message: text(2000) });

const runEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('batch'), items: z.array(result) }),
  z.object({ type: z.literal('parts'), items: z.array(part) }),
  z.object({ type: z.literal('backend'), backend: backendInfo }),
  z.object({ type: z.literal('progress'), progress }),
  z.object({ type: z.literal('notice'), notice }),
]);

const runEnd = z.object({
  jobId: count,
  status: z.enum(['done', 'cancelled', 'error']),
  elapsedMs: nonNegative,
  computeMs: nonNegative,
  error: z.optional(z.string()),
  backendFault: z.optional(z.object({ backend: text(40), reason: text(2000) })),
});

const runOptions = z.object({
  backend: z.optional(z.nullable(text(40))),
  chains: z.optional(
    z
      .tuple([count, count])
      .check(z.refine(([a, b]) => b > a, { message: 'expected [start, end) with end > start' })),
  ),
  from: z.optional(count),
});

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** One line naming where in the message the first problem is. */
function refusal(what: string, error: z.core.$ZodError): { ok: false; error: string } {
  const issue = error.issues[0];
  const name = (k: PropertyKey) => {
    const t = String(k);
    return /^[\w$]{1,40}$/.test(t) ? t : JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t);
  };
  const path = issue.path.length ? issue.path.map(name).join('.') : what;
  return { ok: false, error: `${path}: ${issue.message}` };
}

function check<T>(schema: z.ZodMiniType, what: string, value: unknown): Checked<T> {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data as T } : refusal(what, r.error);
}

/** An event from a worker, checked before the page acts on it. */
export const checkRunEvent = (value: unknown): Checked<RunEvent> =>
  check<RunEvent>(runEvent, 'event', value);

/** A worker's answer at the end of a run. */
export const checkRunEnd = (value: unknown): Checked<RunEnd> => check<RunEnd>(runEnd, 'end', value);

/**
 * A run request as a worker receives it: a job id, a recipe (parsed again: the worker never trusts
 * what it is sent) and options. The recipe must parse without changes.
 */
export function checkRunRequest(
  jobId: unknown,
  recipe: unknown,
  options: unknown,
): Checked<{ jobId: number; recipe: AnyRecipe; options: RunOptions }> {
  const id = count.safeParse(jobId);
  if (!id.success) return refusal('jobId', id.error);
  const parsed = parseRecipe(recipe);
  if (!parsed.ok) return { ok: false, error: `recipe.${parsed.error}` };
  if (parsed.warnings.length) return { ok: false, error: `recipe.${parsed.warnings[0]}` };
  const o = check<RunOptions>(runOptions, 'options', options ?? {});
  if (!o.ok) return { ok: false, error: `options.${o.error}` };
  const chains = o.value.chains;
  if (chains && chains[1] > parsed.recipe.replicates)
    return {
      ok: false,
      error: `options.chains: past the recipe's ${parsed.recipe.replicates} chains`,
    };
  return { ok: true, value: { jobId: id.data, recipe: parsed.recipe, options: o.value } };
}
