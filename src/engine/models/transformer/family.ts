// The transformer language model as a model family of the one generation loop
// (core/generation/loop.ts), following the seed paper's protocol:
// - A point is a passage of PASSAGE_TOKENS byte-pair tokens. Real passages are windows of the
//   real text that start at a sentence start, drawn from the chain's real stream. Synthetic ones
//   start from a prompt of PROMPT_TOKENS real tokens — the same list of prompts every generation,
//   passage i answering prompt i — and continue with tokens the model samples (temperature λ,
//   top-k, top-p and a repetition penalty, or beam search with 5 beams).
// - fit: EVERY generation fine-tunes the pretrained base again (a fresh upload of its weights and
//   a fresh Adam), never the previous generation's model, on the training set's passages for
//   `epochs` passes in a shuffled order from the chain's model stream; the loss is read (and the
//   worker yields, reports progress and sees a cancel) every few steps.
// - score: perplexityReal on the first HELD_OUT_TOKENS tokens of the held-out text;
//   EVAL_PASSAGES continuations of the first prompts (the first is the opening of Pride and
//   Prejudice), sampled at the recipe's decoding from the chain's metrics stream in one batch,
//   give perplexityBase (their perplexity per token under the chain's generation-0 model, the
//   paper's judge) and the text metrics (core/models/transformer/metrics.ts).
// - shown (chain 1): those same passages: the first is the panel's, all of them the histogram's
//   and the CLI's samples. (One batch instead of three: a decoding step costs about the same for
//   one passage as for 32, most of all on a GPU emulated in software.)
// - mitigations: a fit needs one passage; curation by the model ranks passages by the
//   log-probability of their continuation (there is no real density of text: the spec turns a
//   verifier into the model's own ranking).
// Each chain keeps its generation-0 model for the run (the judge); every other model is freed
// when the loop releases it. A backend that fails mid-run ends the run with a backend fault, and
// the pool replays the finished generations on the next rung (engine/pool/pool.ts).
import * as tf from '@tensorflow/tfjs';
import type { ModelFamily, TrainingSet } from '../../../core/generation/types';
import { textStats } from '../../../core/models/transformer/metrics';
import type { TransformerShown } from '../../../core/models/transformer/shown';
import {
  PASSAGE_TOKENS,
  PROMPT_TOKENS,
  TRANSFORMER_METRICS,
  type TransformerMetric,
  transformerSpec,
} from '../../../core/models/transformer/spec';
import type { RecipeFor } from '../../../core/recipe';
import { createRng, type Rng, Stream, shuffle } from '../../../core/rng';
import type { JobContext } from '../../job/context';
import { RunCancelled } from '../../job/context';
import type { TrainingProgressReporter } from '../../job/trainingProgress';
import type { TransformerData } from './data';
import { Gpt } from './gpt';
import { transformerSteps } from './progress';

export type TransformerRecipe = RecipeFor<'transformer'>;

/**
 * Continuations sampled per chain and generation for perplexityBase and the text metrics (chain
 * 1's are also the panel's, the histogram's and the CLI's samples).
 */
export const EVAL_PASSAGES = 32;
/** Held-out tokens scored for perplexityReal. */
export const HELD_OUT_TOKENS = 2048;
/** Prompts in the fixed list synthetic passages answer (passage i answers prompt i mod this). */
export const PROMPTS = 512;
/** Passages generated per call (bounds one call's tensors: the KV cache of 64 passages). */
const SAMPLE_CHUNK = 64;
/** Beams of the paper's decoding. */
const BEAMS = 5;
/** Gradients are clipped to this global norm (a fine-tuning on a few passages can spike). */
const CLIP_NORM = 1;

/** A fine-tuned model; `judge` marks a chain's generation-0 model, kept for the whole run. */
export interface TransformerModel {
  gpt: Gpt;
  judge: boolean;
}

export interface TransformerChain {
  index: number;
  /** Batch orders of its fine-tunings. */
  models: Rng;
  metrics: Rng;
  /** Its generation-0 model: the judge of perplexityBase. */
  judge: Gpt | null;
  /** The passages its latest score sampled, and their perplexity under the judge. */
  scored: { model: TransformerModel; conts: number[][]; perplexity: Float64Array } | null;
}

export type TransformerFamily = ModelFamily<
  TransformerMetric,
  TransformerModel,
  TransformerShown,
  Float64Array,
  TransformerChain
>;

export interface TransformerFamilyOptions {
  data: TransformerData;
  ctx: JobContext;
  progress: TrainingProgressReporter;
}

export function transformerFamily(
  recipe: TransformerRecipe,
  { data, ctx, progress }: TransformerFamilyOptions,
): TransformerFamily {
  const P = PASSAGE_TOKENS;
  const K = PROMPT_TOKENS;
  const NEW = P - K;
  const { tokenizer, train, starts, base } = data;
  // The fixed list of prompts: the text's opening (the panel's), then the first sentence starts
  // of a fixed shuffle (the same for every recipe, chain and generation).
  const promptStarts = (() => {
    const order = Array.from(starts).filter((s) => s !== 0);
    shuffle(order, createRng(0x70e7, 1));
    return [0, ...order.slice(0, Math.min(PROMPTS, order.length) - 1)];
  })();
  const promptOf = (i: number): number[] => {
    const s = promptStarts[i % promptStarts.length];
    return Array.from(train.subarray(s, s + K));
  };
  const heldOut = data.heldOut.subarray(0, Math.min(HELD_OUT_TOKENS, data.heldOut.length));
  const chains: TransformerChain[] = [];

  const checkCancelled = () => {
    if (ctx.cancelled()) throw new RunCancelled();
  };

  /** Continuations of prompts `first`, `first + 1`, … (n of them) by `gpt`, with `seedRng`. */
  const continuations = async (
    gpt: Gpt,
    first: number,
    n: number,
    seedRng: Rng,
    temperature: number,
  ): Promise<number[][]> => {
    const out: number[][] = [];
    for (let start = 0; start < n; start += SAMPLE_CHUNK) {
      const m = Math.min(SAMPLE_CHUNK, n - start);
      const prompts = Array.from({ length: m }, (_, i) => promptOf(first + start + i));
      const beam = recipe.decoding === 'beam';
      const got = await gpt.generate(prompts, {
        maxNewTokens: NEW,
        temperature,
        topK: recipe.topK,
        topP: recipe.topP,
        numBeams: beam ? BEAMS : 1,
        repetitionPenalty: recipe.repetitionPenalty,
        seed: seedRng.int(4294967296),
      });
      for (const g of got) out.push(g);
      await ctx.yieldNow();
      checkCancelled();
    }
    return out;
  };

  /** Perplexity per token of each continuation (after its prompt) under `judge`. */
  const perplexities = async (
    judge: Gpt,
    first: number,
    conts: readonly number[][],
  ): Promise<Float64Array> => {
    const out = new Float64Array(conts.length);
    for (let start = 0; start < conts.length; start += SAMPLE_CHUNK) {
      const m = Math.min(SAMPLE_CHUNK, conts.length - start);
      const ids: number[] = [];
      for (let i = 0; i < m; i++) ids.push(...promptOf(first + start + i), ...conts[start + i]);
      const lp = await judge.sequenceLogProbs(ids, m, P, K);
      for (let i = 0; i < m; i++) out[start + i] = Math.exp(-lp[i] / NEW);
    }
    return out;
  };

  const decode = (ids: readonly number[]) => tokenizer.decode(ids);

  /** The real text's metrics: the continuation parts of real passages after the same prompts. */
  const reference = (() => {
    const texts: string[] = [];
    for (let i = 0; i < EVAL_PASSAGES; i++) {
      const s = promptStarts[i % promptStarts.length];
      texts.push(decode(Array.from(train.subarray(s + K, s + P))));
    }
    return textStats(texts);
  })();

  /** Fine-tunes a fresh copy of the base on the set's passages, as chain `c`'s generation. */
  const fineTune = async (set: TrainingSet<Float64Array>, c: TransformerChain, gen: number) => {
    const gpt = Gpt.fromValues(base.header, base.values);
    try {
      const n = set.size;
      const batch = Math.max(1, Math.min(recipe.batchSize, n));
      const perEpoch = Math.ceil(n / batch);
      const steps = transformerSteps(recipe, n);
      const T = P - 1;
      const order = Array.from({ length: n }, (_, i) => i);
      const rng = createRng(c.models.int(4294967296));
      let done = 0;
      let sinceRead = 0;
      for (let e = 0; e < recipe.epochs; e++) {
        shuffle(order, rng);
        const every = progress.every();
        for (let b = 0; b < perEpoch; b++) {
          const idx = order.slice(b * batch, (b + 1) * batch);
          const ids = new Int32Array(idx.length * T);
          const targets = new Int32Array(idx.length * T);
          idx.forEach((p, r) => {
            for (let t = 0; t < T; t++) {
              ids[r * T + t] = set.values[p * P + t];
              targets[r * T + t] = set.values[p * P + t + 1];
            }
          });
          sinceRead++;
          done++;
          const read = sinceRead >= every || done === steps;
          const loss = await gpt.trainStep(ids, targets, idx.length, T, {
            learningRate: recipe.learningRate,
            clipNorm: CLIP_NORM,
            readLoss: read,
          });
          if (read) {
            sinceRead = 0;
            if (!Number.isFinite(loss)) throw new Error(`fine-tuning diverged (loss ${loss})`);
            await progress.step({
              generation: gen,
              chain: c.index,
              epoch: e + 1,
              step: done,
              steps,
            });
          }
        }
      }
      // Adam's moments are not needed once trained (a judge would keep them for the whole run).
      gpt.resetOptimizer();
      progress.phase('measuring', {
        generation: gen,
        chain: c.index,
        epoch: recipe.epochs,
        step: steps,
        steps,
      });
      return gpt;
    } catch (e) {
      gpt.dispose();
      throw e;
    }
  };

  const disposeJudges = () => {
    for (const c of chains) {
      c.judge?.dispose();
      c.judge = null;
    }
  };

  return {
    metrics: TRANSFORMER_METRICS,
    storage: transformerSpec.storage(),
    alloc: (n) => new Float64Array(n),
    createChain: (streams) => {
      const c: TransformerChain = {
        index: streams.index,
        models: createRng(recipe.seed, streams.index, Stream.model),
        metrics: createRng(recipe.seed, streams.index, Stream.metrics),
        judge: null,
        scored: null,
      };
      chains.push(c);
      return c;
    },
    realSource: (_c, streams) => (k, out) => {
      for (let i = 0; i < k; i++) {
        const s = starts[streams.real.int(starts.length)];
        for (let t = 0; t < P; t++) out[i * P + t] = train[s + t];
      }
    },

    async sample(model, n, rng, temperature, out) {
      checkCancelled();
      const conts = await continuations(model.gpt, 0, n, rng, temperature);
      for (let i = 0; i < n; i++) {
        const prompt = promptOf(i);
        for (let t = 0; t < K; t++) out[i * P + t] = prompt[t];
        for (let t = 0; t < NEW; t++) out[i * P + K + t] = conts[i][t];
      }
    },

    async fit(set, _previous, c) {
      checkCancelled();
      const gen = set.generation ?? 0;
      const gpt = await fineTune(set, c, gen);
      const judge = gen === 0 && c.judge === null;
      if (judge) c.judge = gpt;
      await ctx.yieldNow();
      checkCancelled();
      return { gpt, judge };
    },

    async score(model, c, out, i) {
      checkCancelled();
      const { nats, predicted } = await model.gpt.textLoss(heldOut);
      out.perplexityReal[i] = predicted > 0 ? Math.exp(nats / predicted) : Number.NaN;
      const conts = await continuations(model.gpt, 0, EVAL_PASSAGES, c.metrics, recipe.temperature);
      const judge = c.judge ?? model.gpt;
      const ppl = await perplexities(judge, 0, conts);
      c.scored = { model, conts, perplexity: ppl };
      let logSum = 0;
      for (const v of ppl) logSum += Math.log(v);
      out.perplexityBase[i] = Math.exp(logSum / ppl.length);
      const stats = textStats(conts.map(decode));
      out.vocabAlive[i] = stats.vocabAlive;
      out.distinct2[i] = stats.distinct2;
      out.repetition[i] = stats.repetition;
      out.entropy[i] = stats.entropy;
    },

    async shown(model, c) {
      checkCancelled();
      // The passages its score sampled (a chain that starved kept its model, and its passages).
      let scored = c.scored;
      if (scored?.model !== model) {
        const conts = await continuations(
          model.gpt,
          0,
          EVAL_PASSAGES,
          c.metrics,
          recipe.temperature,
        );
        scored = { model, conts, perplexity: await perplexities(c.judge ?? model.gpt, 0, conts) };
      }
      return {
        prompt: decode(promptOf(0)),
        passage: decode(scored.conts[0]),
        passagePerplexity: scored.perplexity.slice(),
        samples: scored.conts.map((g, i) => decode([...promptOf(i), ...g])),
        reference: { ...reference },
        tensors: tf.memory().numTensors,
      };
    },

    release(model) {
      for (const c of chains) if (c.scored?.model === model) c.scored = null;
      if (!model.judge) model.gpt.dispose();
    },

    dispose() {
      disposeJudges();
    },

    shownTrainingPoints: 0,

    minPoints: () => 1,

    async logLikelihood(model, values, n, out) {
      checkCancelled();
      for (let start = 0; start < n; start += SAMPLE_CHUNK) {
        const m = Math.min(SAMPLE_CHUNK, n - start);
        const ids = Array.from(values.subarray(start * P, (start + m) * P));
        const lp = await model.gpt.sequenceLogProbs(ids, m, P, K);
        for (let i = 0; i < m; i++) out[start + i] = lp[i];
      }
    },
  };
}
