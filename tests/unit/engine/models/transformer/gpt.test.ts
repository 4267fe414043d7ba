// The GPT model on the wasm backend, with a tiny random-initialised configuration (fast).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../../../src/core/rng';
import { Gpt, type GptConfig, penalise } from '../../../../../src/engine/models/transformer/gpt';

const CONFIG: GptConfig = { vocabSize: 40, blockSize: 12, nLayer: 2, nHead: 2, nEmbd: 16 };

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  expect(tf.getBackend()).toBe('wasm');
});

function randomIds(n: number, seed: number, V = CONFIG.vocabSize): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.int(V));
}

/**
 * A model with its weights (not LayerNorms) scaled up from the initial N(0, 0.02²): at init the
 * logits hardly depend on the context, so a wrong prompt, position or beam could go unseen.
 */
async function sharpModel(seed: number, scale = 15): Promise<Gpt> {
  const init = Gpt.init(CONFIG, seed);
  const scaled = new Map<string, Float32Array>();
  for (const [name, a] of await init.toArrays()) {
    scaled.set(name, name.includes('.ln') ? a : a.map((x) => x * scale));
  }
  init.dispose();
  return Gpt.fromArrays(CONFIG, scaled);
}

/** Host log-softmax. */
function logSoftmax(row: number[]): number[] {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
  return row.map((v) => v - lse);
}

/**
 * Beam search by full forward passes (no cache, no reordering), with the model's rules: each
 * live beam proposes its nb best tokens, the passage keeps the nb best (score desc, then beam,
 * then token), and the best beam is returned.
 */
async function beamNoCache(
  m: Gpt,
  prompt: number[],
  n: number,
  nb: number,
): Promise<{ tokens: number[]; reordered: boolean }> {
  let beams = [{ seq: prompt.slice(), score: 0 }];
  let reordered = false;
  for (let i = 0; i < n; i++) {
    const cand: { seq: number[]; score: number; row: number; token: number }[] = [];
    for (let r = 0; r < beams.length; r++) {
      const { seq, score } = beams[r];
      const a = await logitsOf(m, seq, 1, seq.length);
      const lp = logSoftmax(a[0][seq.length - 1]);
      const order = lp.map((_, t) => t).sort((x, y) => lp[y] - lp[x] || x - y);
      for (const t of order.slice(0, nb))
        cand.push({ seq: [...seq, t], score: score + lp[t], row: r, token: t });
    }
    cand.sort((x, y) => y.score - x.score || x.row - y.row || x.token - y.token);
    // After the first step, did some beam continue another row than its own?
    if (i > 0 && cand.slice(0, nb).some((c, j) => c.row !== j)) reordered = true;
    beams = cand.slice(0, nb);
  }
  return { tokens: beams[0].seq.slice(prompt.length), reordered };
}

/** Logits [B][T][V] by a full forward pass. */
async function logitsOf(m: Gpt, ids: number[], B: number, T: number) {
  const t = m.forward(ids, B, T);
  const a = (await t.array()) as number[][][];
  t.dispose();
  return a;
}

/** Greedy decoding by full forward passes over the growing sequence (no cache). */
async function greedyNoCache(m: Gpt, prompt: number[], n: number): Promise<number[]> {
  const seq = prompt.slice();
  for (let i = 0; i < n; i++) {
    const a = await logitsOf(m, seq, 1, seq.length);
    const last = a[0][seq.length - 1];
    seq.push(last.indexOf(Math.max(...last)));
  }
  return seq.slice(prompt.length);
}

describe('Gpt', () => {
  it('is causal: a later token never changes an earlier position', async () => {
    const m = Gpt.init(CONFIG, 1);
    const T = CONFIG.blockSize;
    const ids = randomIds(2 * T, 2);
    const a = await logitsOf(m, ids, 2, T);
    const changed = ids.slice();
    changed[7] = (changed[7] + 1) % CONFIG.vocabSize; // row 0, position 7
    changed[T + 3] = (changed[T + 3] + 5) % CONFIG.vocabSize; // row 1, position 3
    const b = await logitsOf(m, changed, 2, T);
    let early = 0;
    let late = 0;
    for (let s = 0; s < 2; s++) {
      const at = s === 0 ? 7 : 3;
      for (let t = 0; t < T; t++) {
        for (let v = 0; v < CONFIG.vocabSize; v++) {
          const d = Math.abs(a[s][t][v] - b[s][t][v]);
          if (t < at) early = Math.max(early, d);
          else late = Math.max(late, d);
        }
      }
    }
    expect(early).toBe(0);
    expect(late).toBeGreaterThan(1e-3);
    m.dispose();
  });

  it('has gradients that match finite differences', async () => {
    // Weights scaled up from the initial N(0, 0.02²): at init, attention is nearly uniform and
    // the key/query gradients are too small for finite differences in float32.
    const init = Gpt.init(CONFIG, 3);
    const scaled = new Map<string, Float32Array>();
    for (const [name, a] of await init.toArrays()) {
      scaled.set(name, name.includes('.ln') ? a : a.map((x) => x * 15));
    }
    init.dispose();
    const m = Gpt.fromArrays(CONFIG, scaled);
    const T = 8;
    const ids = randomIds(2 * T, 4);
    const tg = randomIds(2 * T, 5);
    const grads = await m.gradients(ids, tg, 2, T);
    const arrays = await m.toArrays();
    const eps = 1e-2;
    // Embedding (gather + scatter gradient, and the tied output), position embedding, an
    // attention weight (batched products), an MLP weight, a LayerNorm gain.
    for (const [name, i] of [
      ['wte', ids[3] * CONFIG.nEmbd + 5],
      ['wpe', 2 * CONFIG.nEmbd + 1],
      ['h1.attn.wk', 17],
      ['h0.attn.wv', 40],
      ['h0.mlp.w2', 33],
      ['h1.ln2.g', 4],
    ] as const) {
      const at = (delta: number) => {
        const copy = new Map(arrays);
        const a = (arrays.get(name) as Float32Array).slice();
        a[i] += delta;
        copy.set(name, a);
        return Gpt.fromArrays(CONFIG, copy);
      };
      const [p, q] = [at(eps), at(-eps)];
      const fd = ((await p.loss(ids, tg, 2, T)) - (await q.loss(ids, tg, 2, T))) / (2 * eps);
      p.dispose();
      q.dispose();
      const g = (grads.get(name) as Float32Array)[i];
      expect(Math.abs(g), name).toBeGreaterThan(1e-3);
      expect(Math.abs(g - fd), name).toBeLessThan(0.05 * Math.abs(g) + 2e-3);
    }
    m.dispose();
  });

  it('decodes with the KV cache as a full forward pass does', async () => {
    const m = await sharpModel(6, 5);
    const T = CONFIG.blockSize;
    const seqs = [randomIds(T, 7), randomIds(T, 8), randomIds(T, 9)];
    const full = await logitsOf(m, seqs.flat(), 3, T);
    const P = 4;
    const cached = await m.cachedLogits(seqs, P);
    expect(cached.length).toBe(T - P + 1);
    let err = 0;
    let scale = 0;
    for (let k = 0; k < cached.length; k++) {
      for (let b = 0; b < 3; b++) {
        for (let v = 0; v < CONFIG.vocabSize; v++) {
          const x = full[b][P - 1 + k][v];
          err = Math.max(err, Math.abs(cached[k][b * CONFIG.vocabSize + v] - x));
          scale = Math.max(scale, Math.abs(x));
        }
      }
    }
    expect(err).toBeLessThan(1e-4 * Math.max(1, scale));
    // Greedy generation through the cache picks what greedy full passes pick.
    const prompt = seqs[0].slice(0, 3);
    const [gen] = await m.generate([prompt], { maxNewTokens: 8, temperature: 0, seed: 1 });
    expect(gen).toEqual(await greedyNoCache(m, prompt, 8));
    m.dispose();
  });

  it('beam search with one beam is greedy decoding; more beams score at least as well', async () => {
    // A model fitted to sequences over 6 tokens, whose next token depends on more than the
    // current one: with a random model the beams hardly depend on their history, and a beam
    // search that forgot to reorder the cache went unseen.
    const m = Gpt.init(CONFIG, 10);
    const seqs = Array.from({ length: 16 }, (_, i) => randomIds(13, 300 + i, 6));
    await m.fit(seqs, { epochs: 20, batchSize: 8, learningRate: 1e-2, seed: 1 });
    const prompts = [seqs[0].slice(0, 2), seqs[1].slice(0, 2), randomIds(2, 5, 6)];
    const greedy = await m.generate(prompts, { maxNewTokens: 9, temperature: 0, seed: 1 });
    const beam1 = await m.generate(prompts, {
      maxNewTokens: 9,
      numBeams: 1,
      temperature: 0,
      seed: 1,
    });
    expect(beam1).toEqual(greedy);
    // numBeams 1 through the beam path too (not only the sampling path's greedy).
    const viaBeam = await (
      m as unknown as {
        beamSearch(p: number[][], n: number, nb: number, r: number): Promise<number[][]>;
      }
    ).beamSearch(prompts, 9, 1, 1);
    expect(viaBeam).toEqual(greedy);
    const logProb = async (prompt: number[], gen: number[]) => {
      const seq = [...prompt, ...gen];
      const ids = seq.slice(0, -1);
      const tg = seq.slice(1);
      // Only the generated tokens count: loss over all minus the prompt's part.
      const all = (await m.loss(ids, tg, 1, ids.length)) * ids.length;
      const k = prompt.length - 1; // predictions of prompt tokens
      const head = k > 0 ? (await m.loss(ids.slice(0, k), tg.slice(0, k), 1, k)) * k : 0;
      return -(all - head);
    };
    const beam4 = await m.generate(prompts, { maxNewTokens: 9, numBeams: 4, seed: 1 });
    // The cached, reordered search finds what the plain search by full passes finds.
    let reordered = false;
    for (let b = 0; b < prompts.length; b++) {
      const ref = await beamNoCache(m, prompts[b], 9, 4);
      expect(beam4[b]).toEqual(ref.tokens);
      reordered ||= ref.reordered;
    }
    // The case must exercise the cache's reordering (beams that swap rows).
    expect(reordered).toBe(true);
    for (let b = 0; b < prompts.length; b++) {
      expect(await logProb(prompts[b], beam4[b])).toBeGreaterThanOrEqual(
        (await logProb(prompts[b], greedy[b])) - 1e-4,
      );
    }
    m.dispose();
  });

  it('samples the same passages from the same seed, others from another', async () => {
    const m = Gpt.init(CONFIG, 13);
    const prompts = [randomIds(2, 14), randomIds(2, 15), randomIds(2, 16)];
    const opts = { maxNewTokens: 9, temperature: 1, seed: 77, rngPath: [3] };
    const a = await m.generate(prompts, opts);
    const b = await m.generate(prompts, opts);
    const c = await m.generate(prompts, { ...opts, seed: 78 });
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(a.every((g) => g.length === 9)).toBe(true);
    // top-k 1 and a tiny top-p are greedy.
    const greedy = await m.generate(prompts, { maxNewTokens: 9, temperature: 0, seed: 1 });
    expect(await m.generate(prompts, { ...opts, topK: 1 })).toEqual(greedy);
    expect(await m.generate(prompts, { ...opts, topP: 1e-6 })).toEqual(greedy);
    m.dispose();
  });

  it('cuts a prompt longer than the context from the left, and refuses what cannot fit', async () => {
    const m = await sharpModel(17);
    const long = randomIds(30, 18);
    const opts = { maxNewTokens: 4, temperature: 0, seed: 1 };
    const kept = long.slice(30 - (CONFIG.blockSize - 4));
    expect(await m.generate([long], opts)).toEqual(await m.generate([kept], opts));
    // (The prompt matters to this model: its first tokens give another continuation.)
    expect(await m.generate([long.slice(0, 8)], opts)).not.toEqual(await m.generate([kept], opts));
    await expect(m.generate([long], { ...opts, maxNewTokens: CONFIG.blockSize })).rejects.toThrow(
      /below the context/,
    );
    await expect(m.generate([[1, 2], [3]], opts)).rejects.toThrow(/same number of tokens/);
    await expect(m.generate([[]], opts)).rejects.toThrow(/at least one token/);
    expect(() => m.forward(randomIds(13, 1), 1, 13)).toThrow(/longer than the context/);
    expect(() => m.forward([1, 2, 99], 1, 3)).toThrow(/outside the vocabulary/);
    m.dispose();
  });

  it('applies the repetition penalty as Hugging Face does', () => {
    const row = Float32Array.from([2, -2, 3, -1]);
    penalise(row, [0, 1, 1], 2);
    expect([...row]).toEqual([1, -4, 3, -1]);
  });

  it('lowers the loss on its training set when fine-tuned', async () => {
    const m = Gpt.init(CONFIG, 19);
    const seqs = Array.from({ length: 8 }, (_, i) => randomIds(CONFIG.blockSize + 1, 100 + i));
    const ids = seqs.flatMap((q) => q.slice(0, -1));
    const tg = seqs.flatMap((q) => q.slice(1));
    const before = await m.loss(ids, tg, 8, CONFIG.blockSize);
    const losses = await m.fit(seqs, { epochs: 6, batchSize: 4, learningRate: 3e-3, seed: 5 });
    const after = await m.loss(ids, tg, 8, CONFIG.blockSize);
    expect(losses.length).toBe(6);
    expect(after).toBeLessThan(before - 0.3);
    m.dispose();
  });

  it('leaks no tensors over train / sample / save / dispose cycles', async () => {
    const start = tf.memory().numTensors;
    for (let cycle = 0; cycle < 2; cycle++) {
      const m = Gpt.init(CONFIG, 20 + cycle);
      const seqs = Array.from({ length: 4 }, (_, i) => randomIds(9, 200 + i));
      await m.fit(seqs, { epochs: 2, batchSize: 2, learningRate: 1e-3, seed: 1 });
      await m.generate([randomIds(3, 1), randomIds(3, 2)], { maxNewTokens: 5, seed: 1, topK: 5 });
      await m.generate([randomIds(3, 1)], { maxNewTokens: 5, seed: 1, numBeams: 3 });
      await m.cachedLogits([randomIds(6, 3)], 2);
      await m.textLoss(randomIds(40, 4), 2);
      const w = await m.toWeights('00000000');
      Gpt.fromWeights(w, '00000000').dispose();
      m.resetOptimizer();
      m.dispose();
      expect(tf.memory().numTensors).toBe(start);
    }
  });

  it('round-trips through the weight file and refuses another tokeniser', async () => {
    const m = Gpt.init(CONFIG, 21);
    const w = await m.toWeights('1234abcd');
    const back = Gpt.fromWeights(w, '1234abcd');
    expect(back.config).toEqual(CONFIG);
    const ids = randomIds(2 * CONFIG.blockSize, 22);
    const a = await logitsOf(m, ids, 2, CONFIG.blockSize);
    const b = await logitsOf(back, ids, 2, CONFIG.blockSize);
    let err = 0;
    for (let s = 0; s < 2; s++)
      for (let t = 0; t < CONFIG.blockSize; t++)
        for (let v = 0; v < CONFIG.vocabSize; v++)
          err = Math.max(err, Math.abs(a[s][t][v] - b[s][t][v]));
    expect(err).toBeLessThan(5e-3); // float16 weights
    // Saving the loaded model again gives the same bytes (float16 values are exact in float32).
    expect(new Uint8Array(await back.toWeights('1234abcd'))).toEqual(new Uint8Array(w));
    expect(() => Gpt.fromWeights(w, 'deadbeef')).toThrow(/trained with tokeniser 1234abcd/);
    m.dispose();
    back.dispose();
    expect(() => m.forward([1], 1, 1)).toThrow(/disposed/);
  });
});
