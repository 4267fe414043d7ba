import { describe, expect, it } from 'vitest';
import { fromFloat16Bits, toFloat16Bits } from '../../../../../src/core/float16';
import {
  readWeightFile,
  type WeightHeader,
  writeWeightFile,
} from '../../../../../src/core/models/transformer/weightFile';

const header: WeightHeader = {
  vocabSize: 300,
  blockSize: 16,
  nLayer: 2,
  nHead: 2,
  nEmbd: 8,
  tokenizerHash: '0a1b2c3d',
};

describe('float16', () => {
  it('is exact on halves and special values', () => {
    for (const x of [0, 1, -2, 0.5, 65504, -65504, 2 ** -14, 2 ** -24, 0.099975586]) {
      expect(fromFloat16Bits(toFloat16Bits(x))).toBe(
        Math.fround(x) === x ? x : fromFloat16Bits(toFloat16Bits(x)),
      );
    }
    expect(fromFloat16Bits(toFloat16Bits(Number.POSITIVE_INFINITY))).toBe(Number.POSITIVE_INFINITY);
    expect(fromFloat16Bits(toFloat16Bits(1e6))).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
    expect(Object.is(fromFloat16Bits(toFloat16Bits(-0)), -0)).toBe(true);
  });

  it('rounds to nearest within half a unit in the last place', () => {
    for (let i = 0; i < 2000; i++) {
      const x = (Math.sin(i * 12.9898) * 43758.5453) % 4;
      const y = fromFloat16Bits(toFloat16Bits(x));
      if (Math.abs(x) >= 2 ** -14)
        expect(Math.abs(y - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11);
      else expect(Math.abs(y - x)).toBeLessThanOrEqual(2 ** -25);
    }
    // Ties go to even: 1 + 2^-11 is halfway between 1 and 1 + 2^-10.
    expect(fromFloat16Bits(toFloat16Bits(1 + 2 ** -11))).toBe(1);
    expect(fromFloat16Bits(toFloat16Bits(1 + 3 * 2 ** -11))).toBe(1 + 2 * 2 ** -10);
  });
});

describe('weight file', () => {
  const values = Float32Array.from({ length: 101 }, (_, i) => Math.cos(i) * 0.1);

  it('round-trips header and values (to float16)', () => {
    const buf = writeWeightFile(header, values);
    expect(buf.byteLength).toBe(48 + 2 * values.length);
    const back = readWeightFile(buf, header.tokenizerHash);
    expect(back.header).toEqual(header);
    for (let i = 0; i < values.length; i++) {
      expect(back.values[i]).toBeCloseTo(values[i], 3);
    }
  });

  it('refuses weights made for another tokeniser, with a clear reason', () => {
    const buf = writeWeightFile(header, values);
    expect(() => readWeightFile(buf, 'ffffffff')).toThrow(
      /trained with tokeniser 0a1b2c3d, but the tokeniser loaded is ffffffff/,
    );
  });

  it('refuses damaged files', () => {
    const buf = writeWeightFile(header, values);
    const flipped = buf.slice(0);
    new Uint8Array(flipped)[60] ^= 1;
    expect(() => readWeightFile(flipped)).toThrow(/checksum/);
    expect(() => readWeightFile(buf.slice(0, 100))).toThrow(/expected/);
    const magic = buf.slice(0);
    new Uint8Array(magic)[0] = 0;
    expect(() => readWeightFile(magic)).toThrow(/magic/);
  });
});
