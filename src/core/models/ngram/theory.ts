// Wright–Fisher drift of the unigram language model, in closed form.
//
// With order 1, no smoothing, temperature 1 and no truncation, the model of generation n is the
// type frequencies p̂ of its N training tokens, and under 'replace' with synthetic share 1 those
// N tokens are N independent draws from generation n − 1's p: the counts are Multinomial(N, p),
// which is neutral Wright–Fisher resampling of N "genes" with one allele per word type.
// Write S_k = Σ p_i^k and Q = S_2². With N^(k) = N(N − 1)…(N − k + 1) and the multinomial's
// factorial moments E[X_i^(a) X_j^(b)] = N^(a+b) p_i^a p_j^b (i ≠ j, and a + b for i = j):
//   E[S_2'] = (N^(2) S_2 + N) / N²
//   E[S_3'] = (N^(3) S_3 + 3 N^(2) S_2 + N) / N³
//   E[S_4'] = (N^(4) S_4 + 6 N^(3) S_3 + 7 N^(2) S_2 + N) / N⁴
//   E[Q']   = (N^(4) Q + 4 N^(3) S_3 + 2 N^(3) S_2 + 6 N^(2) S_2 + N^(2) + N) / N⁴
// (from X² = X^(2) + X, X³ = X^(3) + 3X^(2) + X, X⁴ = X^(4) + 6X^(3) + 7X^(2) + X and
// Σ_{i≠j} p_i² p_j = S_2 − S_3, Σ_{i≠j} p_i p_j = 1 − S_2). The map is linear in
// (1, S_2, S_3, S_4, Q), so the expectations follow exactly by iterating it from the real text.
// Gini–Simpson is G = 1 − S_2: E[G_n] = (1 − 1/N) E[G_{n−1}], the textbook heterozygosity decay
// E[G_n] = (1 − 1/N)^(n+1) G_real, and Var[G_n] = E[Q_n] − E[S_2,n]².
// Generation 0 is fitted to 64-token passages of the real text, not to independent tokens; the
// theory treats its N tokens as independent draws from the training text's unigram
// distribution (the words of one passage are not, which shifts E[G_0] by O(1/N)).

import { PASSAGE } from './constants';
import { CORPUS_FACTS } from './corpusFacts';

export interface NgramTheoryPoint {
  generation: number;
  /** E[giniSimpson]. */
  value: number;
  /** The 5 % and 95 % points of a normal with the exact mean and variance. */
  lo: number;
  hi: number;
}

const Z95 = 1.6448536269514722;

export interface NgramTheoryRecipe {
  samplesPerGeneration: number;
  generations: number;
  order: number;
  smoothing: string;
  temperature: number;
  topK: number;
  topP: number;
  syntheticFraction: number;
  regime: string;
  syntheticSchedule?: unknown;
  filter?: unknown;
  curation?: unknown;
}

/** Why no Wright–Fisher curve is shown for `recipe` (a sentence), or null when it is. */
export function ngramTheoryUnavailable(r: NgramTheoryRecipe): string | null {
  const why: string[] = [];
  if (r.order !== 1) why.push('order 1');
  if (r.smoothing !== 'none') why.push('no smoothing');
  if (r.temperature !== 1) why.push('temperature 1');
  if (r.topK > 0 || r.topP < 1) why.push('no truncation');
  if (r.regime !== 'replace' || r.syntheticFraction !== 1 || r.syntheticSchedule)
    why.push('replace with synthetic share 100 %');
  if (r.filter || r.curation) why.push('no filter or curation');
  return why.length === 0
    ? null
    : `The Wright–Fisher curve needs ${why.join(', ')} (the unigram model resampled as it is).`;
}

/**
 * E[giniSimpson] and its 5–95 % band per generation of a unigram chain whose generations each
 * draw N tokens, starting from a text with moments (S_2, S_3, S_4).
 */
export function wrightFisherGini(
  N: number,
  generations: number,
  real: { sumSquares: number; sumCubes: number; sumFourth: number },
): NgramTheoryPoint[] {
  const n2 = N * (N - 1);
  const n3 = n2 * (N - 2);
  const n4 = n3 * (N - 3);
  const N2 = N * N;
  const N3 = N2 * N;
  const N4 = N3 * N;
  let s2 = real.sumSquares;
  let s3 = real.sumCubes;
  let s4 = real.sumFourth;
  let q = s2 * s2;
  const out: NgramTheoryPoint[] = [];
  for (let g = 0; g <= generations; g++) {
    // One resampling: generation 0 from the real text, each later one from the one before.
    const q1 = (n4 * q + 4 * n3 * s3 + 2 * n3 * s2 + 6 * n2 * s2 + n2 + N) / N4;
    const s4n = (n4 * s4 + 6 * n3 * s3 + 7 * n2 * s2 + N) / N4;
    const s3n = (n3 * s3 + 3 * n2 * s2 + N) / N3;
    const s2n = (n2 * s2 + N) / N2;
    s2 = s2n;
    s3 = s3n;
    s4 = s4n;
    q = q1;
    const sd = Math.sqrt(Math.max(0, q - s2 * s2));
    const value = 1 - s2;
    out.push({ generation: g, value, lo: value - Z95 * sd, hi: value + Z95 * sd });
  }
  return out;
}

/** The spec's theory: the Wright–Fisher curve for the shipped text, or null. */
export function ngramTheory(r: NgramTheoryRecipe): NgramTheoryPoint[] | null {
  if (ngramTheoryUnavailable(r)) return null;
  return wrightFisherGini(r.samplesPerGeneration * PASSAGE, r.generations, CORPUS_FACTS);
}
