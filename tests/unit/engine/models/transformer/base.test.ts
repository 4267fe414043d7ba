// The shipped base model (public/data/transformer-base.bin) against what its note
// (TRANSFORMER-SOURCE.md) states, on the wasm backend. Evaluating the whole held-out text
// (~38,000 tokens) takes a few seconds on one core.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTokenizer } from '../../../../../src/core/models/transformer/tokenizer';
import { Gpt } from '../../../../../src/engine/models/transformer/gpt';

const dataDir = join(__dirname, '..', '..', '..', '..', '..', 'public', 'data');
const read = (name: string) => readFileSync(join(dataDir, name));
const tok = parseTokenizer(read('transformer-tokenizer.json').toString('utf8'));
const note = read('TRANSFORMER-SOURCE.md').toString('utf8');
const heldOut = (
  JSON.parse(read('transformer-heldout.json').toString('utf8')) as {
    novels: { title: string; text: string }[];
  }
).novels;

/** The words of the ngram model's vocabulary (austen.bin: Pride and Prejudice + Persuasion). */
function austenWords(): Set<string> {
  const buf = read('austen.bin');
  const bytes = buf.readUInt32LE(20);
  return new Set(buf.toString('utf8', 24, 24 + bytes).split('\n'));
}

let model: Gpt;

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  const b = read('transformer-base.bin');
  model = Gpt.fromWeights(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength), tok.hash);
});

afterAll(() => model.dispose());

describe('the shipped transformer base', () => {
  it('has the held-out loss its note states', async () => {
    const row =
      /\*\*held-out Pride and Prejudice \+ Persuasion\*\* \| [\d,]+ \| \*\*([\d.]+)\*\* \| \*\*([\d.]+)\*\*/.exec(
        note,
      );
    expect(row, 'the note states the held-out loss').not.toBeNull();
    const [perToken, perChar] = [Number(row?.[1]), Number(row?.[2])];
    let nats = 0;
    let tokens = 0;
    let chars = 0;
    for (const n of heldOut) {
      const ids = tok.encode(n.text);
      const r = await model.textLoss(ids, 16);
      nats += r.nats;
      tokens += r.predicted;
      chars += n.text.length - tok.decode(ids.slice(0, 1)).length;
    }
    // Same backend and code: equal but for float summation order (and the note's 4 decimals).
    expect(Math.abs(nats / tokens - perToken)).toBeLessThan(2e-3);
    expect(Math.abs(nats / chars - perChar)).toBeLessThan(2e-3);
  });

  it('writes mostly real words', async () => {
    const words = austenWords();
    const prompts = heldOut.flatMap((n) =>
      [0.2, 0.5, 0.8].map((f) =>
        tok.encode(n.text.slice(Math.floor(n.text.length * f))).slice(0, 16),
      ),
    );
    const out = await model.generate(prompts, { maxNewTokens: 40, temperature: 0.8, seed: 7 });
    const text = out.map((g) => tok.decode(g)).join(' ');
    // Whole words only: the first and last of each passage may be cut.
    const found = out.flatMap((g) => (tok.decode(g).match(/[A-Za-z]+/g) ?? []).slice(1, -1));
    const known = found.filter((w) => words.has(w) || words.has(w.toLowerCase()));
    expect(found.length, text).toBeGreaterThan(100);
    expect(known.length / found.length, text).toBeGreaterThan(0.85);
  });
});
