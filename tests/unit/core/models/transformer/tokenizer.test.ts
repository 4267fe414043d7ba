import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseTokenizer,
  preSplit,
  Tokenizer,
  type TokenizerSpec,
  tokenizerHash,
  trainBpe,
} from '../../../../../src/core/models/transformer/tokenizer';

const dataDir = join(__dirname, '..', '..', '..', '..', '..', 'public', 'data');
const shippedJson = readFileSync(join(dataDir, 'transformer-tokenizer.json'), 'utf8');
const heldOut = (
  JSON.parse(readFileSync(join(dataDir, 'transformer-heldout.json'), 'utf8')) as {
    novels: { text: string }[];
  }
).novels.map((n) => n.text);

const SAMPLE = `It is a truth universally acknowledged, that a single man in possession
of a good fortune, must be in want of a wife. "My dear Mr. Bennet," said his lady to him one day,
"have you heard that Netherfield Park is let at last?" Mr. Bennet replied that he had not.`;

describe('trainBpe', () => {
  it('is deterministic and learns the frequent pairs first', () => {
    const a = trainBpe([SAMPLE, SAMPLE], 300);
    const b = trainBpe([SAMPLE, SAMPLE], 300);
    expect(a).toEqual(b);
    expect(a.vocabSize).toBe(300);
    const tok = new Tokenizer(a);
    // The first merge is the most frequent adjacent byte pair of the text's chunks.
    const first = new TextDecoder().decode(tok.tokenBytes(256));
    expect(first.length).toBe(2);
    expect(tok.decode(tok.encode(SAMPLE))).toBe(SAMPLE);
    // Merged tokens make the text shorter than its bytes.
    expect(tok.encode(SAMPLE).length).toBeLessThan(new TextEncoder().encode(SAMPLE).length * 0.7);
  });

  it('breaks ties by the smaller left id, then the smaller right id', () => {
    // "cd", "da" and "ab" occur twice each (" c" once); the smallest left id wins: "ab" (97, 98),
    // though "cd" comes first in the text.
    const spec = trainBpe(['cdab cdab'], 258);
    expect(spec.merges.slice(0, 2)).toEqual([97, 98]);
  });

  it('stops when no pair occurs twice', () => {
    expect(trainBpe(['abc'], 400).vocabSize).toBe(256);
  });
});

/**
 * BPE by its definition: the chunk's bytes, then every merge in the order learned, each replacing
 * all its pairs left to right.
 */
function referenceEncode(spec: TokenizerSpec, text: string): number[] {
  const out: number[] = [];
  for (const chunk of preSplit(text.normalize('NFC'))) {
    let ids = Array.from(new TextEncoder().encode(chunk));
    for (let r = 0; r < spec.merges.length / 2 && ids.length > 1; r++) {
      const [a, b] = [spec.merges[2 * r], spec.merges[2 * r + 1]];
      const next: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
          next.push(256 + r);
          i++;
        } else next.push(ids[i]);
      }
      ids = next;
    }
    out.push(...ids);
  }
  return out;
}

describe('the shipped tokeniser', () => {
  const tok = parseTokenizer(shippedJson);

  it('encodes as the merges define (earliest merge first)', () => {
    const spec = JSON.parse(shippedJson) as TokenizerSpec;
    const text = heldOut[0].slice(0, 3000);
    expect(tok.encode(text)).toEqual(referenceEncode(spec, text));
  });

  it('round-trips the held-out novels exactly', () => {
    for (const text of heldOut) expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('round-trips odd input (NFC-normalised)', () => {
    const odd = [
      '',
      ' ',
      '\n\n\t  ',
      '😀👩‍👩‍👧 emoji',
      'Достоевский 和 東京 ελληνικά عربى',
      '\u0000\u0007 control',
      'x'.repeat(1000),
      'naïve café — “quoted” ‘single’ …',
    ];
    for (const s of odd) expect(tok.decode(tok.encode(s))).toBe(s.normalize('NFC'));
    // Decomposed é becomes the composed one.
    expect(tok.decode(tok.encode('e\u0301'))).toBe('\u00e9');
  });

  it('maps a lone surrogate to U+FFFD (it has no UTF-8 form)', () => {
    expect(tok.decode(tok.encode('a\ud800b'))).toBe('a\ufffdb');
  });

  it('pre-splits into chunks that cover the text', () => {
    for (const s of [SAMPLE, "don't   stop\n\nnow!", '']) expect(preSplit(s).join('')).toBe(s);
  });

  it('refuses a damaged or foreign file', () => {
    const spec = JSON.parse(shippedJson) as TokenizerSpec;
    const bad = { ...spec, merges: [...spec.merges] };
    bad.merges[10] = (bad.merges[10] + 1) % 256;
    expect(() => new Tokenizer(bad)).toThrow(/corrupt/);
    expect(() => new Tokenizer({ ...spec, preSplit: 'x' })).toThrow(/pre-split/);
    const rehashed = { ...bad, hash: tokenizerHash(bad) };
    expect(new Tokenizer(rehashed).hash).not.toBe(spec.hash);
    expect(() => new Tokenizer({ ...spec, vocabSize: 5 })).toThrow(/vocabSize/);
  });

  it('decodes only ids of its vocabulary', () => {
    expect(() => tok.decode([tok.vocabSize])).toThrow(/outside the vocabulary/);
  });
});
