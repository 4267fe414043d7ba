import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  labelHistogram,
  loadMnist,
  MNIST_PIXELS,
  mnistToFloat,
  parseMnist,
} from '../../../../../src/engine/models/vae/mnist';

const dataDir = join(__dirname, '..', '..', '..', '..', '..', 'public', 'data');
const read = (name: string) => readFileSync(join(dataDir, name));

/** A file in the shipped format with the given encoding, built by hand. */
function makeFile(images: Uint8Array[], labels: number[], encoding: 0 | 1): Uint8Array {
  const payload: number[] = [];
  for (const img of images) {
    if (encoding === 0) {
      payload.push(...img);
      continue;
    }
    let i = 0;
    while (i < MNIST_PIXELS) {
      if (img[i] !== 0) payload.push(img[i++]);
      else {
        let k = 0;
        while (i < MNIST_PIXELS && img[i] === 0 && k < 255) {
          i++;
          k++;
        }
        payload.push(0, k);
      }
    }
  }
  const buf = new Uint8Array(16 + labels.length + payload.length);
  const view = new DataView(buf.buffer);
  buf.set([0x43, 0x4c, 0x4d, 0x4e, 1, encoding, 28, 28]);
  view.setUint32(8, labels.length, true);
  view.setUint32(12, payload.length, true);
  buf.set(labels, 16);
  buf.set(payload, 16 + labels.length);
  return buf;
}

describe('shipped MNIST subset', () => {
  const train = parseMnist(read('mnist-train.bin'));
  const test = parseMnist(read('mnist-test.bin'));

  it('has 8,000 training and 2,000 test digits of 28×28 bytes', () => {
    expect(train.count).toBe(8000);
    expect(test.count).toBe(2000);
    expect(train.images.length).toBe(8000 * 784);
    expect(test.images.length).toBe(2000 * 784);
    expect(train.labels.length).toBe(8000);
    expect(test.labels.length).toBe(2000);
  });

  it('holds all ten classes in roughly MNIST proportions', () => {
    for (const [data, n] of [
      [train, 8000],
      [test, 2000],
    ] as const) {
      const hist = labelHistogram(data.labels);
      expect(hist.reduce((a, b) => a + b, 0)).toBe(n);
      for (const c of hist) {
        expect(c / n).toBeGreaterThan(0.07);
        expect(c / n).toBeLessThan(0.13);
      }
    }
    // The npm package's per-class totals (1001, 1127, 991, ...) split between the two files.
    const total = labelHistogram(train.labels).map((c, i) => c + labelHistogram(test.labels)[i]);
    expect(total).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('looks like MNIST: mean intensity ≈ 0.13, ~19% ink, full 0–255 range', () => {
    let sum = 0;
    let ink = 0;
    let max = 0;
    for (const v of train.images) {
      sum += v;
      if (v > 0) ink++;
      if (v > max) max = v;
    }
    const mean = sum / train.images.length / 255;
    expect(mean).toBeGreaterThan(0.12);
    expect(mean).toBeLessThan(0.145);
    expect(ink / train.images.length).toBeGreaterThan(0.15);
    expect(ink / train.images.length).toBeLessThan(0.23);
    expect(max).toBe(255);
    // Border pixels are almost always background.
    let border = 0;
    for (let k = 0; k < train.count; k++) border += train.images[k * 784];
    expect(border).toBe(0);
  });

  it('train and test share no digit', () => {
    const key = (d: Uint8Array, k: number) =>
      Buffer.from(d.buffer, d.byteOffset + k * 784, 784).toString('latin1');
    const seen = new Set<string>();
    for (let k = 0; k < train.count; k++) seen.add(key(train.images, k));
    let shared = 0;
    for (let k = 0; k < test.count; k++) if (seen.has(key(test.images, k))) shared++;
    expect(shared).toBe(0);
  });

  it('mnistToFloat scales to [0, 1]', () => {
    const x = mnistToFloat(test, 10, 3);
    expect(x.length).toBe(3 * 784);
    for (let i = 0; i < x.length; i++) {
      expect(x[i]).toBeCloseTo(test.images[10 * 784 + i] / 255, 6);
    }
    expect(() => mnistToFloat(test, 1999, 2)).toThrow(RangeError);
  });

  it('documents its source, licence and format', () => {
    const md = read('MNIST-SOURCE.md').toString('utf8');
    expect(md).toContain('LeCun');
    expect(md).toContain('cazala');
    expect(md).toContain('1.1.0');
    expect(md).toContain('MIT License');
    expect(md).toContain('Permission is hereby granted');
    expect(md).toContain('zero-run-length');
  });
});

describe('parseMnist', () => {
  const a = new Uint8Array(784);
  a[100] = 7;
  a[101] = 255;
  a[783] = 1;
  const b = new Uint8Array(784).fill(3);
  const c = new Uint8Array(784); // all background: runs of 255 + 255 + 255 + 19

  it('decodes raw and run-length files to the same digits', () => {
    for (const enc of [0, 1] as const) {
      const d = parseMnist(makeFile([a, b, c], [4, 0, 9], enc));
      expect(d.count).toBe(3);
      expect(Array.from(d.labels)).toEqual([4, 0, 9]);
      expect(Array.from(d.images.subarray(0, 784))).toEqual(Array.from(a));
      expect(Array.from(d.images.subarray(784, 1568))).toEqual(Array.from(b));
      expect(Array.from(d.images.subarray(1568))).toEqual(Array.from(c));
    }
  });

  it('accepts ArrayBuffer, typed-array views at an offset, and loadMnist', async () => {
    const file = makeFile([a], [1], 1);
    const padded = new Uint8Array(file.length + 5);
    padded.set(file, 5);
    expect(parseMnist(padded.subarray(5)).count).toBe(1);
    expect(parseMnist(file.slice().buffer).count).toBe(1);
    const loaded = await loadMnist(async () => file.slice().buffer);
    expect(loaded.labels[0]).toBe(1);
  });

  it('rejects malformed files', () => {
    const good = makeFile([a, b], [1, 2], 1);
    const bad = (mutate: (f: Uint8Array) => Uint8Array) => () => parseMnist(mutate(good.slice()));
    expect(bad((f) => f.subarray(0, 10))).toThrow(/short/);
    expect(
      bad((f) => {
        f[0] = 0x58;
        return f;
      }),
    ).toThrow(/magic/);
    expect(
      bad((f) => {
        f[5] = 9;
        return f;
      }),
    ).toThrow(/encoding/);
    expect(bad((f) => f.subarray(0, f.length - 1))).toThrow(/length/);
    expect(
      bad((f) => {
        f[16] = 12;
        return f;
      }),
    ).toThrow(/label/);
    // A zero run that overflows a digit.
    const runs = makeFile([c], [0], 1);
    runs[16 + 1 + 1] = 255;
    runs[16 + 1 + 7] = 40; // the last run: 19 -> 40
    expect(() => parseMnist(runs)).toThrow(/zero run/);
  });
});
