// The n-gram language model as a model family of the generation loop. A point is a passage of
// PASSAGE token ids. Real passages are windows of the training text that start at a sentence
// start, drawn from the chain's real stream; synthetic ones are sampled from the start token at
// the recipe's temperature, top-k and top-p. Each chain keeps its generation-0 model smoothed with
// Kneser–Ney as the judge of perplexityBase (the paper scores generated text with the model
// trained on real data). Curation ranks passages by their log-probability under the model.
import type { ModelFamily } from '../../generation/types';
import { createRng, type Rng, Stream } from '../../rng';
import { type Corpus, detokenize, idsOf } from './corpus';
import { passagePerplexities, perplexity, rarestTypes, repetition, unigramStats } from './metrics';
import {
  type Decoding,
  fitNgram,
  logProbability,
  type NgramModel,
  type NgramSettings,
  PASSAGE,
  type SamplerScratch,
  samplePassages,
  samplerScratch,
} from './ngram';
import { NGRAM_METRICS, type NgramMetric, ngramSpec } from './spec';

export interface NgramFamilyRecipe extends NgramSettings, Decoding {
  seed: number;
}

/** What the view shows of chain 1 each generation. */
export interface NgramShown {
  /** Its unigram probabilities of the types it saw, largest first (the Zipf plot). */
  rankFrequency: Float64Array;
  /** Perplexity of each of HISTOGRAM_PASSAGES sampled passages under the generation-0 model. */
  passagePerplexity: Float64Array;
  /** The prompt and one passage sampled after it (the same random numbers every generation). */
  prompt: string;
  passage: string;
  /** The first SAMPLES_SHOWN of the histogram's passages as text (the CLI prints them). */
  samples: string[];
  /** The real text's values, for reference lines. */
  reference: { tailMass: number; vocabAlive: number; giniSimpson: number; entropy: number };
  /** Generation 0 only: the real training text's word frequencies, largest first. */
  realRankFrequency?: Float64Array;
}

interface NgramChain {
  metrics: Rng;
  /** Generation 0's model with Kneser–Ney smoothing: the judge of perplexityBase. */
  base: NgramModel | null;
  index: number;
}

export type NgramFamily = ModelFamily<
  NgramMetric,
  NgramModel,
  NgramShown,
  Float64Array,
  NgramChain
>;

/** Passages sampled per chain and generation for perplexityBase and repetition. */
export const EVAL_PASSAGES = 16;
/** Passages sampled from chain 1 for the perplexity histogram. */
export const HISTOGRAM_PASSAGES = 128;
/** Passages of chain 1 returned as text per generation (the CLI's `samples`). */
export const SAMPLES_SHOWN = 16;
/** Held-out tokens scored for perplexityReal (whole passages from the start of the held-out text). */
export const HELD_OUT_PASSAGES = 128;
/** The prompt of the passage panel (the novel's first words: the real text would continue it). */
export const PROMPT = ['It', 'is', 'a', 'truth'];

/** A model's word frequencies, largest first (the words it saw only). */
function rankFrequencyOf(model: NgramModel): Float64Array {
  const seen: number[] = [];
  for (let w = 0; w < model.V; w++) if (model.unigram[w] > 0) seen.push(model.unigram[w]);
  seen.sort((a, b) => b - a);
  return Float64Array.from(seen, (c) => c / model.tokens);
}

export function ngramFamily(recipe: NgramFamilyRecipe, corpus: Corpus): NgramFamily {
  const V = corpus.vocab.length;
  const settings: NgramSettings = { order: recipe.order, smoothing: recipe.smoothing, k: recipe.k };
  const decoding = (temperature: number): Decoding => ({
    temperature,
    topK: recipe.topK,
    topP: recipe.topP,
  });
  const tail = rarestTypes(corpus.train, V);
  const heldOutSize = Math.min(HELD_OUT_PASSAGES, Math.floor(corpus.heldOut.length / PASSAGE));
  const realModel = fitNgram(corpus.train, Math.floor(corpus.train.length / PASSAGE), V, {
    order: 1,
    smoothing: 'none',
    k: 0,
  });
  const realStats = unigramStats(realModel, tail);
  const prompt = idsOf(PROMPT, corpus.vocab);
  const scratch: SamplerScratch = samplerScratch(V);
  const evalBuf = new Float64Array(EVAL_PASSAGES * PASSAGE);
  const histBuf = new Float64Array(HISTOGRAM_PASSAGES * PASSAGE);
  const evalPpl = new Float64Array(EVAL_PASSAGES);
  const starts = corpus.sentenceStarts;
  const train = corpus.train;

  return {
    metrics: NGRAM_METRICS,
    storage: ngramSpec.storage(),
    alloc: (n) => new Float64Array(n),
    createChain: (streams) => ({
      metrics: createRng(recipe.seed, streams.index, Stream.metrics),
      base: null,
      index: streams.index,
    }),
    realSource: (_c, streams) => (k, out) => {
      const rng = streams.real;
      for (let i = 0; i < k; i++) {
        const s = starts[rng.int(starts.length)];
        for (let t = 0; t < PASSAGE; t++) out[i * PASSAGE + t] = train[s + t];
      }
    },
    sample(model, n, rng, temperature, out) {
      samplePassages(model, n, rng, decoding(temperature), out, scratch);
    },
    fit(set, _previous, chain) {
      const model = fitNgram(set.values, set.size, V, settings);
      if (set.generation === 0 || chain.base === null) {
        chain.base =
          settings.smoothing === 'kn'
            ? model
            : fitNgram(set.values, set.size, V, { ...settings, smoothing: 'kn' });
      }
      return model;
    },
    score(model, chain, out, i) {
      const u = unigramStats(model, tail);
      out.vocabAlive[i] = u.vocabAlive;
      out.entropy[i] = u.entropy;
      out.giniSimpson[i] = u.giniSimpson;
      out.tailMass[i] = u.tailMass;
      out.perplexityReal[i] = perplexity(model, corpus.heldOut, heldOutSize);
      samplePassages(
        model,
        EVAL_PASSAGES,
        chain.metrics,
        decoding(recipe.temperature),
        evalBuf,
        scratch,
      );
      const base = chain.base as NgramModel;
      passagePerplexities(base, evalBuf, EVAL_PASSAGES, evalPpl);
      let logSum = 0;
      let rep = 0;
      for (let p = 0; p < EVAL_PASSAGES; p++) {
        logSum += Math.log(evalPpl[p]);
        rep += repetition(evalBuf, p * PASSAGE, V);
      }
      out.perplexityBase[i] = Math.exp(logSum / EVAL_PASSAGES);
      out.repetition[i] = rep / EVAL_PASSAGES;
    },
    shown(model, chain, generation) {
      const rankFrequency = rankFrequencyOf(model);
      // The same random numbers every generation: the passages change only as the model does.
      const dec = decoding(recipe.temperature);
      samplePassages(
        model,
        HISTOGRAM_PASSAGES,
        createRng(recipe.seed, 0, Stream.metrics, 1),
        dec,
        histBuf,
        scratch,
      );
      const passagePerplexity = new Float64Array(HISTOGRAM_PASSAGES);
      passagePerplexities(chain.base as NgramModel, histBuf, HISTOGRAM_PASSAGES, passagePerplexity);
      const row = new Float64Array(PASSAGE);
      samplePassages(
        model,
        1,
        createRng(recipe.seed, 0, Stream.metrics, 2),
        dec,
        row,
        scratch,
        prompt,
      );
      return {
        rankFrequency,
        passagePerplexity,
        prompt: detokenize(prompt, corpus.vocab),
        passage: detokenize(row.subarray(prompt.length), corpus.vocab),
        samples: Array.from({ length: Math.min(SAMPLES_SHOWN, HISTOGRAM_PASSAGES) }, (_, p) =>
          detokenize(histBuf.subarray(p * PASSAGE, (p + 1) * PASSAGE), corpus.vocab),
        ),
        reference: realStats,
        ...(generation === 0 ? { realRankFrequency: rankFrequencyOf(realModel) } : {}),
      };
    },
    shownTrainingPoints: 0,
    minPoints: () => 1,
    logLikelihood(model, values, n, out) {
      for (let p = 0; p < n; p++) out[p] = logProbability(model, values, p * PASSAGE, PASSAGE);
    },
  };
}
