// What the transformer's view shows of chain 1 each generation (the family in
// engine/models/transformer/family.ts computes it; the view and the CLI read it).

/** The real text's values of the text metrics, on real passages scored as the samples are. */
export interface TransformerReference {
  vocabAlive: number;
  distinct2: number;
  repetition: number;
  entropy: number;
}

export interface TransformerShown {
  /**
   * The panel's prompt (the opening of Pride and Prejudice) and chain 1's continuation of it (the
   * first of its scored passages).
   */
  prompt: string;
  passage: string;
  /**
   * Perplexity per token of each of EVAL_PASSAGES continuations chain 1 wrote, under the
   * chain's generation-0 model (the seed paper's histogram).
   */
  passagePerplexity: Float64Array;
  /** Chain 1's sampled passages (prompt and continuation) as text, for the CLI and the tables. */
  samples: string[];
  /** The real text's values, for reference lines (the same every generation). */
  reference: TransformerReference;
  /** tfjs tensors alive in the worker after this generation (a leak would grow it). */
  tensors: number;
}
