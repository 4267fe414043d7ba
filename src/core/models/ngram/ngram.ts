// A word-level n-gram language model in typed arrays: counting, probabilities and sampling.
//
// Text comes as passages (rows of PASSAGE token ids); each passage starts after a start token,
// so the context before its first token is padded with BOS (id V, never emitted).
// Contexts live in a trie keyed by (shorter context, one older token): the context of length m
// is the child of the context of length m − 1, so a context's parent is its back-off (the same
// context without its oldest token). Every context met in training is a node; its successors
// (token, count) sit in one run of a CSR table, sorted by count, largest first, with running
// sums for binary-search sampling. Two hash tables (pairTable.ts) find a child and an entry.
//
// Smoothing:
// - none: maximum likelihood at the longest context seen in training (a context never seen
//   backs off to its longest seen suffix; a type the model never saw there cannot come out).
// - addk: (c(h, w) + k) / (c(h) + kV) at that same longest seen context.
// - kn: interpolated Kneser–Ney (Chen & Goodman 1998, eq. 26 with one discount per order,
//   D = n1 / (n1 + 2 n2)): raw counts at the highest order, continuation counts N1+(• h w) below,
//   down to the unigram level of continuation counts, which is not interpolated with the uniform
//   distribution: as without smoothing, a type absent from the training text has probability 0
//   (a uniform floor would make the model emit random rare words, noise rather than language).
//   Scores of real text take a small floor instead (logProbability's `floor`).
// Sampling applies the temperature to log-probabilities (p^(1/T), renormalised), then topK (keep
// the K likeliest types, 0: off) and topP (keep the likeliest types whose tempered mass reaches
// P, 1: off), as decoders do. At T = 1 without truncation it samples the smoothed model as a
// mixture, level by level, in O(order · log successors) per token.
import type { Rng } from '../../rng';
import { PASSAGE, type Smoothing } from './constants';
import { PairTable } from './pairTable';

export { PASSAGE, SMOOTHINGS, type Smoothing } from './constants';

export interface NgramSettings {
  order: number;
  smoothing: Smoothing;
  /** addk's pseudo-count. */
  k: number;
}

export interface Decoding {
  temperature: number;
  /** Keep the K likeliest types (0: off). */
  topK: number;
  /** Keep the likeliest types up to this tempered mass (1: off). */
  topP: number;
}

export interface NgramModel {
  order: number;
  smoothing: Smoothing;
  k: number;
  /** Vocabulary size (ids 0..V−1); V is BOS. */
  V: number;
  /** Trie of contexts: node 0 is the empty context. */
  parent: Int32Array;
  depth: Uint8Array;
  nodes: number;
  children: PairTable;
  /** CSR successors per node, sorted by count (descending), then token. */
  start: Int32Array;
  token: Int32Array;
  count: Float64Array;
  /** Running sum of count within each node's run (inclusive). */
  cum: Float64Array;
  /** Σ count per node. */
  total: Float64Array;
  /** Entry (node, token) → its first index; `at` maps that to its place in token/count/cum. */
  entries: PairTable;
  at: Int32Array;
  /** KN discount per depth (0 elsewhere). */
  discount: Float64Array;
  /** The training text's unigram counts (raw), and its size. */
  unigram: Float64Array;
  tokens: number;
  /** Lazily built: the root-level distribution and its order (general sampler). */
  base?: { p: Float64Array; order: Int32Array; uniform: boolean };
}

/** Sort keys pack a token id below 2^14. */
export const MAX_VOCABULARY = 16383;

/**
 * Fits an n-gram model to `size` passages of `tokens` (rows of PASSAGE ids below V; as float64
 * or any numeric array).
 */
export function fitNgram(
  tokens: ArrayLike<number>,
  size: number,
  V: number,
  settings: NgramSettings,
): NgramModel {
  if (V > MAX_VOCABULARY)
    throw new RangeError(`vocabulary of ${V} types is over ${MAX_VOCABULARY}`);
  const n = Math.max(1, Math.min(5, Math.round(settings.order)));
  const BOS = V;
  const N = size * PASSAGE;
  const children = new PairTable(Math.min((N * (n - 1)) / 2 + 16, 1 << 20));
  const entries = new PairTable(Math.min((N * n) / 2 + 16, 1 << 20));
  let parent = new Int32Array(1024);
  let depth = new Uint8Array(1024);
  let nodes = 1;
  let eNode = new Int32Array(4096);
  let eToken = new Int32Array(4096);
  let eCount = new Float64Array(4096);
  // Continuation counts N1+(• h w), counted as entries appear: a new entry (h x, w) one level up
  // adds one to (h, w), the entry just above it in the loop over m below.
  let eCont = new Float64Array(4096);
  let E = 0;
  const unigram = new Float64Array(V);
  const ctx = new Int32Array(n);

  for (let p = 0; p < size; p++) {
    const row = p * PASSAGE;
    for (let t = 0; t < PASSAGE; t++) {
      const w = tokens[row + t];
      unigram[w]++;
      // ctx[m]: the node of the context of length m before position t.
      ctx[0] = 0;
      for (let m = 1; m < n; m++) {
        const older = t - m >= 0 ? tokens[row + t - m] : BOS;
        let child = children.getOrSet(ctx[m - 1], older, nodes);
        if (child === -1) {
          child = nodes++;
          if (child >= parent.length) {
            const p2 = new Int32Array(parent.length * 2);
            p2.set(parent);
            parent = p2;
            const d2 = new Uint8Array(depth.length * 2);
            d2.set(depth);
            depth = d2;
          }
          parent[child] = ctx[m - 1];
          depth[child] = m;
        }
        ctx[m] = child;
      }
      let lower = -1;
      for (let m = 0; m < n; m++) {
        const e = entries.getOrSet(ctx[m], w, E);
        if (e !== -1) {
          eCount[e]++;
          lower = e;
          continue;
        }
        if (lower >= 0) eCont[lower]++;
        lower = E;
        if (E >= eNode.length) {
          const a = new Int32Array(eNode.length * 2);
          a.set(eNode);
          eNode = a;
          const b = new Int32Array(eToken.length * 2);
          b.set(eToken);
          eToken = b;
          const c = new Float64Array(eCount.length * 2);
          c.set(eCount);
          eCount = c;
          const d = new Float64Array(eCont.length * 2);
          d.set(eCont);
          eCont = d;
        }
        eNode[E] = ctx[m];
        eToken[E] = w;
        eCount[E] = 1;
        E++;
      }
    }
  }

  const discount = new Float64Array(n);
  if (settings.smoothing === 'kn' && n > 1) {
    // Below the highest order, counts become continuation counts N1+(• h w): how many distinct
    // longer contexts (one older token more) were followed by w.
    for (let e = 0; e < E; e++) if (depth[eNode[e]] < n - 1) eCount[e] = eCont[e];
  }
  if (settings.smoothing === 'kn') {
    const n1 = new Float64Array(n);
    const n2 = new Float64Array(n);
    for (let e = 0; e < E; e++) {
      const d = depth[eNode[e]];
      if (eCount[e] === 1) n1[d]++;
      else if (eCount[e] === 2) n2[d]++;
    }
    // The unigram level is not discounted: no mass goes to types never seen (see the top).
    for (let d = 1; d < n; d++) {
      const D = n1[d] + 2 * n2[d] > 0 ? n1[d] / (n1[d] + 2 * n2[d]) : 0.5;
      discount[d] = Math.min(0.95, Math.max(0.05, D));
    }
  }

  // CSR by node, each run sorted by count (descending), then token.
  const start = new Int32Array(nodes + 1);
  for (let e = 0; e < E; e++) start[eNode[e] + 1]++;
  for (let i = 0; i < nodes; i++) start[i + 1] += start[i];
  const fill = start.slice(0, nodes);
  const keys = new Float64Array(E);
  const TOKEN_SPAN = 16384;
  const COUNT_SPAN = 2 ** 38;
  const bucketEntry = new Int32Array(E);
  for (let e = 0; e < E; e++) {
    const j = fill[eNode[e]]++;
    keys[j] = (COUNT_SPAN - eCount[e]) * TOKEN_SPAN + eToken[e];
    bucketEntry[j] = e;
  }
  // Within a node a token names its entry: where each entry lands after the sort, no hashing.
  const entryOfToken = new Int32Array(V + 1);
  const at = new Int32Array(E);
  const token = new Int32Array(E);
  const count = new Float64Array(E);
  const cum = new Float64Array(E);
  const total = new Float64Array(nodes);
  for (let i = 0; i < nodes; i++) {
    const a = start[i];
    const b = start[i + 1];
    for (let j = a; j < b; j++) entryOfToken[eToken[bucketEntry[j]]] = bucketEntry[j];
    if (b - a > 24) keys.subarray(a, b).sort();
    else {
      for (let j = a + 1; j < b; j++) {
        const x = keys[j];
        let q = j - 1;
        while (q >= a && keys[q] > x) {
          keys[q + 1] = keys[q];
          q--;
        }
        keys[q + 1] = x;
      }
    }
    let s = 0;
    for (let j = a; j < b; j++) {
      const key = keys[j];
      const w = key % TOKEN_SPAN;
      const c = COUNT_SPAN - (key - w) / TOKEN_SPAN;
      token[j] = w;
      count[j] = c;
      s += c;
      cum[j] = s;
      at[entryOfToken[w]] = j;
    }
    total[i] = s;
  }

  return {
    order: n,
    smoothing: settings.smoothing,
    k: settings.k,
    V,
    parent: parent.subarray(0, nodes),
    depth: depth.subarray(0, nodes),
    nodes,
    children,
    start,
    token,
    count,
    cum,
    total,
    entries,
    at,
    discount,
    unigram,
    tokens: N,
  };
}

/**
 * The deepest context node of the n − 1 tokens before `end` in `history` (ids; positions before
 * `from` are BOS), i.e. the longest suffix of the context seen in training.
 */
export function contextNode(
  model: NgramModel,
  history: ArrayLike<number>,
  from: number,
  end: number,
): number {
  const { V, children, order } = model;
  let node = 0;
  for (let m = 1; m < order; m++) {
    const i = end - m;
    const older = i >= from ? history[i] : V;
    const child = children.get(node, older);
    if (child === -1) break;
    node = child;
  }
  return node;
}

/** Count of `w` after `node` (0 when unseen). */
function countOf(model: NgramModel, node: number, w: number): number {
  const e = model.entries.get(node, w);
  return e === -1 ? 0 : model.count[model.at[e]];
}

/** P(w | the context whose deepest seen node is `node`) under the model's smoothing. */
export function probability(model: NgramModel, node: number, w: number): number {
  const { smoothing, V } = model;
  if (smoothing === 'none') return countOf(model, node, w) / model.total[node];
  if (smoothing === 'addk') {
    return (countOf(model, node, w) + model.k) / (model.total[node] + model.k * V);
  }
  return knProbability(model, node, w);
}

function knProbability(model: NgramModel, node: number, w: number): number {
  const d = model.depth[node];
  const lower = d === 0 ? 0 : knProbability(model, model.parent[node], w);
  const T = model.total[node];
  const D = model.discount[d];
  const c = countOf(model, node, w);
  const distinct = model.start[node + 1] - model.start[node];
  return (Math.max(c - D, 0) + D * distinct * lower) / T;
}

/**
 * Sum of log P over the `length` tokens of `tokens` from `offset` (a passage, from its start
 * token), P mixed with a share `floor` of the uniform distribution (0: the model as it is, −∞
 * when it gives some token probability 0).
 */
export function logProbability(
  model: NgramModel,
  tokens: ArrayLike<number>,
  offset: number,
  length: number,
  floor = 0,
): number {
  let s = 0;
  const u = floor / model.V;
  for (let t = 0; t < length; t++) {
    const node = contextNode(model, tokens, offset, offset + t);
    s += Math.log((1 - floor) * probability(model, node, tokens[offset + t]) + u);
  }
  return s;
}

// --- sampling ---------------------------------------------------------------------------

/** First j in [a, b) with f(j) > u, for f increasing; b − 1 when none (rounding). */
function searchCum(cum: Float64Array, a: number, b: number, u: number): number {
  let lo = a;
  let hi = b - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The same for the KN-discounted running sum cum[j] − D·(j − a + 1). */
function searchDiscounted(cum: Float64Array, a: number, b: number, D: number, u: number): number {
  let lo = a;
  let hi = b - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] - D * (mid - a + 1) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** One token from the untruncated model at T = 1 (the smoothed mixture, level by level). */
function drawExact(model: NgramModel, node: number, rng: Rng): number {
  const { start, cum, total, token, V } = model;
  if (model.smoothing === 'none') {
    const a = start[node];
    return token[searchCum(cum, a, start[node + 1], rng.uniform() * total[node])];
  }
  if (model.smoothing === 'addk') {
    const T = total[node];
    const u = rng.uniform() * (T + model.k * V);
    if (u >= T) return rng.int(V);
    return token[searchCum(cum, start[node], start[node + 1], u)];
  }
  let h = node;
  for (;;) {
    const a = start[h];
    const b = start[h + 1];
    const D = model.discount[model.depth[h]];
    const kept = total[h] - D * (b - a);
    const u = rng.uniform() * total[h];
    if (u < kept) return token[searchDiscounted(cum, a, b, D, u)];
    if (h === 0) return rng.int(V);
    h = model.parent[h];
  }
}

/** The back-off base (addk: the uniform; else the root level) and its order, likeliest first. */
function baseOf(model: NgramModel): NonNullable<NgramModel['base']> {
  if (model.base) return model.base;
  const { V } = model;
  const p = new Float64Array(V);
  const uniform = model.smoothing === 'addk';
  for (let w = 0; w < V; w++) p[w] = uniform ? 1 / V : probability(model, 0, w);
  const keys = new Float64Array(V);
  for (let w = 0; w < V; w++) keys[w] = sortKey(p[w], w);
  keys.sort();
  const order = new Int32Array(V);
  for (let i = 0; i < V; i++) order[i] = keys[i] % 16384;
  model.base = { p, order, uniform };
  return model.base;
}

/** A sort key: larger p first, then smaller token (p quantised to 2^-38, plenty for order). */
const sortKey = (p: number, w: number) => Math.floor((1 - p) * 2 ** 38) * 16384 + w;

/** Scratch of the general sampler, sized for a vocabulary. */
export interface SamplerScratch {
  /** Explicit probability of each type in the current candidate set S (0 elsewhere). */
  explicit: Float64Array;
  inS: Uint8Array;
  members: Int32Array;
  keys: Float64Array;
  keptIds: Int32Array;
  keptWeights: Float64Array;
  /** Σ base^(1/T) over all types, and running sums in base order (for T ≠ 1 without truncation). */
  tempered: { model: NgramModel | null; T: number; sum: number; cum: Float64Array };
  /**
   * Truncated decoding: each context node's kept types and running sums of their tempered
   * weights, computed once per model and decoding (sampled text revisits its contexts often).
   */
  kept: {
    model: NgramModel | null;
    decoding: string;
    start: Int32Array;
    length: Int32Array;
    ids: Int32Array;
    cum: Float64Array;
    used: number;
  };
}

/** Kept types cached per model and decoding, at most (12 MiB of typed arrays). */
const KEPT_CACHE = 1 << 20;

export function samplerScratch(V: number): SamplerScratch {
  return {
    explicit: new Float64Array(V),
    inS: new Uint8Array(V),
    members: new Int32Array(V),
    keys: new Float64Array(V),
    keptIds: new Int32Array(V),
    keptWeights: new Float64Array(V),
    tempered: { model: null, T: 1, sum: 0, cum: new Float64Array(V) },
    kept: {
      model: null,
      decoding: '',
      start: new Int32Array(0),
      length: new Int32Array(0),
      ids: new Int32Array(0),
      cum: new Float64Array(0),
      used: 0,
    },
  };
}

/**
 * One token under temperature and truncation. The next-token distribution is written as
 * p(w) = explicit(w) + Γ·base(w): explicit terms over the few types S seen after the context's
 * nodes (depth ≥ 1), plus a share Γ of the root-level distribution (addk: the uniform). Types
 * outside S keep base's order, so truncation walks S (sorted) and base's order side by side and
 * stops as soon as K types or a mass P are kept; nothing is computed for all V types per token.
 */
function drawGeneral(
  model: NgramModel,
  node: number,
  rng: Rng,
  dec: Decoding,
  s: SamplerScratch,
): number {
  const { start, token, count, total, V } = model;
  const truncated = dec.topK > 0 || dec.topP < 1;
  const cache = s.kept;
  if (truncated) {
    const key = `${dec.temperature} ${dec.topK} ${dec.topP}`;
    if (cache.model !== model || cache.decoding !== key) {
      cache.model = model;
      cache.decoding = key;
      if (cache.start.length < model.nodes) {
        cache.start = new Int32Array(model.nodes);
        cache.length = new Int32Array(model.nodes);
      }
      cache.start.fill(-1, 0, model.nodes);
      cache.used = 0;
    }
    const at = cache.start[node];
    if (at >= 0) {
      // The same draw as below: one uniform, the first running sum above it.
      const n = cache.length[node];
      const u = rng.uniform() * cache.cum[at + n - 1];
      return cache.ids[searchCum(cache.cum, at, at + n, u)];
    }
  }
  const base = baseOf(model);
  const invT = 1 / dec.temperature;
  let nS = 0;
  let gamma = 0;
  const add = (w: number, p: number) => {
    if (s.inS[w] === 0) {
      s.inS[w] = 1;
      s.members[nS++] = w;
      s.explicit[w] = 0;
    }
    s.explicit[w] += p;
  };
  if (model.smoothing === 'addk') {
    // c/Z over the successors, and k/Z for every type: Γ = kV/Z of the uniform base.
    const Z = total[node] + model.k * V;
    for (let j = start[node]; j < start[node + 1]; j++) add(token[j], count[j] / Z);
    gamma = (model.k * V) / Z;
  } else if (node === 0) {
    gamma = 1;
  } else if (model.smoothing === 'none') {
    for (let j = start[node]; j < start[node + 1]; j++) add(token[j], count[j] / total[node]);
  } else {
    let alpha = 1;
    for (let h = node; h !== 0; h = model.parent[h]) {
      const a = start[h];
      const b = start[h + 1];
      const D = model.discount[model.depth[h]];
      for (let j = a; j < b; j++) add(token[j], (alpha * (count[j] - D)) / total[h]);
      alpha *= (D * (b - a)) / total[h];
    }
    gamma = alpha;
  }
  // Full probabilities of S's members: explicit + Γ·base.
  let massS = 0;
  for (let i = 0; i < nS; i++) {
    const w = s.members[i];
    const p = s.explicit[w] + gamma * base.p[w];
    s.explicit[w] = p;
    massS += p ** invT;
  }
  // Tempered mass of the types outside S: Γ^(1/T) · Σ_{w∉S} base(w)^(1/T).
  const tm = s.tempered;
  if (tm.model !== model || tm.T !== dec.temperature) {
    let sum = 0;
    for (let i = 0; i < V; i++) {
      sum += base.p[base.order[i]] ** invT;
      tm.cum[i] = sum;
    }
    tm.model = model;
    tm.T = dec.temperature;
    tm.sum = sum;
  }
  let restBase = tm.sum;
  for (let i = 0; i < nS; i++) restBase -= base.p[s.members[i]] ** invT;
  const gT = gamma > 0 ? gamma ** invT : 0;
  const massR = Math.max(0, gT * restBase);
  const Z = massS + massR;

  let out: number;
  if (!truncated) {
    const u = rng.uniform() * Z;
    if (u < massS || massR === 0) {
      out = s.members[nS - 1];
      let acc = 0;
      for (let i = 0; i < nS; i++) {
        acc += s.explicit[s.members[i]] ** invT;
        if (acc > u) {
          out = s.members[i];
          break;
        }
      }
    } else {
      // From base^(1/T) outside S: inverse CDF in base order, rejecting members of S.
      out = -1;
      for (let tries = 0; tries < 64 && out < 0; tries++) {
        const i = searchCum(tm.cum, 0, V, rng.uniform() * tm.sum);
        const w = base.order[i];
        if (s.inS[w] === 0 && base.p[w] > 0) out = w;
      }
      if (out < 0) {
        // S holds nearly all of base's mass: walk the rest.
        const v = rng.uniform() * restBase;
        let acc = 0;
        for (let i = 0; i < V; i++) {
          const w = base.order[i];
          if (s.inS[w] !== 0) continue;
          out = w;
          acc += base.p[w] ** invT;
          if (acc > v) break;
        }
      }
    }
  } else {
    // S in order of probability, merged with base's order outside S.
    for (let i = 0; i < nS; i++) {
      const w = s.members[i];
      s.keys[i] = sortKey(s.explicit[w], w);
    }
    const sorted = s.keys.subarray(0, nS).sort();
    const K = dec.topK > 0 ? Math.min(dec.topK, V) : V;
    const P = dec.topP * Z;
    let kept = 0;
    let mass = 0;
    let i = 0;
    let j = 0;
    while (kept < K && mass < P) {
      while (j < V && (s.inS[base.order[j]] !== 0 || gT === 0)) j++;
      const wS = i < nS ? sorted[i] % 16384 : -1;
      const pS = wS >= 0 ? s.explicit[wS] : 0;
      const wR = j < V ? base.order[j] : -1;
      const pR = wR >= 0 ? gamma * base.p[wR] : 0;
      let w: number;
      let p: number;
      if (wS >= 0 && (pS >= pR || wR < 0)) {
        w = wS;
        p = pS;
        i++;
      } else if (wR >= 0) {
        w = wR;
        p = pR;
        j++;
      } else break;
      if (!(p > 0)) break;
      const q = p ** invT;
      s.keptIds[kept] = w;
      s.keptWeights[kept] = q;
      kept++;
      mass += q;
    }
    if (cache.used + kept <= KEPT_CACHE) {
      if (cache.ids.length === 0) {
        cache.ids = new Int32Array(KEPT_CACHE);
        cache.cum = new Float64Array(KEPT_CACHE);
      }
      const at = cache.used;
      let acc = 0;
      for (let m = 0; m < kept; m++) {
        acc += s.keptWeights[m];
        cache.ids[at + m] = s.keptIds[m];
        cache.cum[at + m] = acc;
      }
      cache.start[node] = at;
      cache.length[node] = kept;
      cache.used += kept;
    }
    out = s.keptIds[0];
    const u = rng.uniform() * mass;
    let acc = 0;
    for (let m = 0; m < kept; m++) {
      acc += s.keptWeights[m];
      if (acc > u) {
        out = s.keptIds[m];
        break;
      }
    }
  }
  for (let m = 0; m < nS; m++) s.inS[s.members[m]] = 0;
  return out;
}

/**
 * Samples `count` passages into `out` (rows of PASSAGE ids, from row `row`), each from the start
 * token, or continuing `prompt` (its ids come first in the row and count toward its length).
 */
export function samplePassages(
  model: NgramModel,
  count: number,
  rng: Rng,
  dec: Decoding,
  out: { [i: number]: number },
  scratch: SamplerScratch,
  prompt: ArrayLike<number> = [],
): void {
  const exact = dec.temperature === 1 && dec.topK <= 0 && dec.topP >= 1;
  for (let p = 0; p < count; p++) {
    const row = p * PASSAGE;
    for (let t = 0; t < prompt.length && t < PASSAGE; t++) out[row + t] = prompt[t];
    for (let t = Math.min(prompt.length, PASSAGE); t < PASSAGE; t++) {
      const node = contextNode(model, out as ArrayLike<number>, row, row + t);
      out[row + t] = exact
        ? drawExact(model, node, rng)
        : drawGeneral(model, node, rng, dec, scratch);
    }
  }
}
