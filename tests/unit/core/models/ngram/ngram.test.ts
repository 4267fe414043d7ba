// The n-gram model's counts, probabilities and sampler (src/core/models/ngram/ngram.ts), against
// hand-computed small cases, an independent string-keyed Kneser–Ney, and its own probabilities.
import { describe, expect, it } from 'vitest';
import {
  contextNode,
  type Decoding,
  fitNgram,
  type NgramModel,
  PASSAGE,
  probability,
  type Smoothing,
  samplePassages,
  samplerScratch,
} from '../../../../../src/core/models/ngram/ngram';
import { createRng } from '../../../../../src/core/rng';

/** One passage alternating a b a b … (a = 0, b = 1; c = 2 never appears). */
const abab = Float64Array.from({ length: PASSAGE }, (_, i) => i % 2);
const A = 0;
const B = 1;
const C = 2;

/** P(w | the context `ctx`, oldest first) under `model`. */
const p = (model: NgramModel, ctx: number[], w: number) =>
  probability(model, contextNode(model, ctx, 0, ctx.length), w);

describe('fitNgram on a b a b … (V = 3, order 2)', () => {
  it('counts every context and successor', () => {
    const m = fitNgram(abab, 1, 3, { order: 2, smoothing: 'none', k: 0 });
    expect(Array.from(m.unigram)).toEqual([32, 32, 0]);
    // Nodes: the empty context, BOS, a, b.
    expect(m.nodes).toBe(4);
    expect(m.total[0]).toBe(64);
    const successors = (ctx: number[]) => {
      const node = contextNode(m, ctx, 0, ctx.length);
      const out: Record<number, number> = {};
      for (let j = m.start[node]; j < m.start[node + 1]; j++) out[m.token[j]] = m.count[j];
      return out;
    };
    expect(successors([A])).toEqual({ [B]: 32 });
    expect(successors([B])).toEqual({ [A]: 31 });
    expect(successors([])).toEqual({ [A]: 1 }); // [] at position 0 is the start token
  });

  it('none: maximum likelihood, 0 for what never followed', () => {
    const m = fitNgram(abab, 1, 3, { order: 2, smoothing: 'none', k: 0 });
    expect(p(m, [A], B)).toBe(1);
    expect(p(m, [A], A)).toBe(0);
    expect(p(m, [B], A)).toBe(1);
    expect(p(m, [], A)).toBe(1);
    // A context never seen backs off to the empty context: the unigram frequencies.
    expect(p(m, [C], A)).toBe(0.5);
    expect(p(m, [C], C)).toBe(0);
  });

  it('addk: (c + k) / (c(h) + kV)', () => {
    const m = fitNgram(abab, 1, 3, { order: 2, smoothing: 'addk', k: 1 });
    expect(p(m, [A], B)).toBeCloseTo(33 / 35, 15);
    expect(p(m, [A], A)).toBeCloseTo(1 / 35, 15);
    expect(p(m, [B], C)).toBeCloseTo(1 / 34, 15);
    expect(p(m, [C], A)).toBeCloseTo(33 / 67, 15);
  });

  it('kn: discounted counts above, continuation counts at the unigram level', () => {
    const m = fitNgram(abab, 1, 3, { order: 2, smoothing: 'kn', k: 0 });
    // Bigram counts: one seen once (BOS a), none twice: D = 1 / (1 + 0), clamped to 0.95.
    expect(m.discount[1]).toBe(0.95);
    // a follows two distinct tokens (b and BOS), b one (a): P_1 = (2/3, 1/3, 0).
    expect(p(m, [C], A)).toBeCloseTo(2 / 3, 15);
    expect(p(m, [C], B)).toBeCloseTo(1 / 3, 15);
    expect(p(m, [A], B)).toBeCloseTo((32 - 0.95) / 32 + (0.95 / 32) * (1 / 3), 15);
    expect(p(m, [A], A)).toBeCloseTo((0.95 / 32) * (2 / 3), 15);
    expect(p(m, [A], C)).toBe(0);
  });
});

/** Interpolated Kneser–Ney written plainly with string keys (the reference). */
function referenceKn(passages: number[][], V: number, n: number) {
  const BOS = V;
  const raw = new Map<string, number>();
  for (const ps of passages) {
    for (let t = 0; t < ps.length; t++) {
      for (let m = 0; m < n; m++) {
        const ctx: number[] = [];
        for (let j = m; j >= 1; j--) ctx.push(t - j >= 0 ? ps[t - j] : BOS);
        const key = [...ctx, ps[t]].join(',');
        raw.set(key, (raw.get(key) ?? 0) + 1);
      }
    }
  }
  // Counts used at each length: raw at n, continuation (distinct left extensions) below.
  const used = new Map<string, number>();
  for (const [key, c] of raw) {
    const len = key.split(',').length;
    if (len === n) used.set(key, c);
  }
  for (const key of raw.keys()) {
    const parts = key.split(',');
    if (parts.length < 2) continue;
    const shorter = parts.slice(1).join(',');
    if (parts.length - 1 < n) used.set(shorter, (used.get(shorter) ?? 0) + 1);
  }
  const D: number[] = [0];
  for (let len = 2; len <= n; len++) {
    let n1 = 0;
    let n2 = 0;
    for (const [key, c] of used) {
      if (key.split(',').length !== len) continue;
      if (c === 1) n1++;
      if (c === 2) n2++;
    }
    D.push(Math.min(0.95, Math.max(0.05, n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5)));
  }
  const prob = (ctx: number[], w: number): number => {
    const h = ctx.join(',');
    let total = 0;
    let distinct = 0;
    for (const [key, c] of used) {
      const parts = key.split(',');
      if (parts.length !== ctx.length + 1) continue;
      if (parts.slice(0, -1).join(',') !== h) continue;
      total += c;
      distinct++;
    }
    // A context never seen: back off entirely.
    if (total === 0) return prob(ctx.slice(1), w);
    const c = used.get(ctx.length ? `${h},${w}` : `${w}`) ?? 0;
    if (ctx.length === 0) return c / total;
    const d = D[ctx.length];
    return (Math.max(c - d, 0) + d * distinct * prob(ctx.slice(1), w)) / total;
  };
  return prob;
}

describe('Kneser–Ney against a plain string-keyed implementation', () => {
  it('agrees on every context of random text (V = 6, order 3, 4 passages)', () => {
    const rng = createRng(7);
    const V = 6;
    const passages = Array.from({ length: 4 }, () =>
      Array.from({ length: PASSAGE }, () =>
        Math.min(V - 1, Math.floor(-Math.log(rng.uniform() + 1e-12))),
      ),
    );
    const flat = Float64Array.from(passages.flat());
    const m = fitNgram(flat, passages.length, V, { order: 3, smoothing: 'kn', k: 0 });
    const ref = referenceKn(passages, V, 3);
    let checked = 0;
    for (let x = 0; x <= V; x++) {
      for (let y = 0; y <= V; y++) {
        // Context (x, y), oldest first; V is the start token.
        const ctx = [x, y];
        const node = contextNode(m, ctx, 0, 2);
        // The trie's deepest seen suffix is the reference's back-off point too.
        let sum = 0;
        for (let w = 0; w < V; w++) {
          const got = probability(m, node, w);
          expect(got, `P(${w} | ${x} ${y})`).toBeCloseTo(ref(ctx, w), 12);
          sum += got;
          checked++;
        }
        expect(sum).toBeCloseTo(1, 12);
      }
    }
    expect(checked).toBe(7 * 7 * 6);
  });
});

/** Next-token frequencies after a one-token prompt, from `n` sampled passages. */
function nextTokenFrequencies(model: NgramModel, prompt: number, dec: Decoding, n: number) {
  const scratch = samplerScratch(model.V);
  const rng = createRng(11);
  const freq = new Float64Array(model.V);
  const one = new Float64Array(PASSAGE);
  for (let i = 0; i < n; i++) {
    samplePassages(model, 1, rng, dec, one, scratch, [prompt]);
    freq[one[1]]++;
  }
  return Array.from(freq, (f) => f / n);
}

/** The decoded distribution after `prompt`, computed from probability() directly. */
function decoded(model: NgramModel, prompt: number, dec: Decoding): number[] {
  const node = contextNode(model, [prompt], 0, 1);
  const ps = Array.from({ length: model.V }, (_, w) => probability(model, node, w));
  const q = ps.map((x) => x ** (1 / dec.temperature));
  const Z = q.reduce((a, b) => a + b, 0);
  const order = q.map((_, w) => w).sort((a, b) => q[b] - q[a] || a - b);
  const keep = new Set<number>();
  let mass = 0;
  for (const w of order) {
    if (dec.topK > 0 && keep.size >= dec.topK) break;
    if (mass >= dec.topP * Z || q[w] === 0) break;
    keep.add(w);
    mass += q[w];
  }
  return q.map((x, w) => (keep.has(w) ? x / mass : 0));
}

describe('samplePassages', () => {
  // Three passages over V = 8 types: small counts, so the discounts and smoothing weigh.
  const rng = createRng(3);
  const V = 8;
  const text = Float64Array.from({ length: 3 * PASSAGE }, () =>
    Math.min(V - 1, Math.floor(-2 * Math.log(rng.uniform() + 1e-12))),
  );
  const cases: [Smoothing, Decoding][] = [
    ['none', { temperature: 1, topK: 0, topP: 1 }],
    ['addk', { temperature: 1, topK: 0, topP: 1 }],
    ['kn', { temperature: 1, topK: 0, topP: 1 }],
    ['kn', { temperature: 0.6, topK: 0, topP: 1 }],
    ['kn', { temperature: 1.5, topK: 0, topP: 1 }],
    ['kn', { temperature: 1, topK: 3, topP: 1 }],
    ['kn', { temperature: 1, topK: 0, topP: 0.7 }],
    ['addk', { temperature: 0.8, topK: 0, topP: 0.8 }],
    ['none', { temperature: 1.3, topK: 4, topP: 0.9 }],
  ];
  it.each(cases)(
    '%s at %o draws each next word with its decoded probability (within 4.5 SE)',
    (smoothing, dec) => {
      const m = fitNgram(text, 3, V, { order: 2, smoothing, k: 0.5 });
      const n = 6000;
      const got = nextTokenFrequencies(m, 1, dec, n);
      const want = decoded(m, 1, dec);
      for (let w = 0; w < V; w++) {
        const se = Math.sqrt(Math.max(want[w] * (1 - want[w]), 1e-12) / n);
        expect(Math.abs(got[w] - want[w]), `word ${w}: ${got[w]} vs ${want[w]}`).toBeLessThan(
          4.5 * se + 1e-9,
        );
      }
    },
  );

  it('gives the same passages for the same seed', () => {
    const m = fitNgram(text, 3, V, { order: 3, smoothing: 'kn', k: 0 });
    const a = new Float64Array(5 * PASSAGE);
    const b = new Float64Array(5 * PASSAGE);
    const dec = { temperature: 0.9, topK: 0, topP: 0.9 };
    samplePassages(m, 5, createRng(5), dec, a, samplerScratch(V));
    samplePassages(m, 5, createRng(5), dec, b, samplerScratch(V));
    expect(Array.from(a)).toEqual(Array.from(b));
    samplePassages(m, 5, createRng(6), dec, b, samplerScratch(V));
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
});
