// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { filmstripChart, paintDigits } from '../../../src/charts/filmstripChart';
import { recordCanvas } from './render';

const PIXELS = 28 * 28;
const INK: [number, number, number] = [10, 20, 30];
const PAPER: [number, number, number] = [250, 240, 230];

/** k digits: digit i is a vertical bar in column 4 + i, ink 255, with a grey pixel at (0, 0). */
function bars(k: number): Uint8Array {
  const digits = new Uint8Array(k * PIXELS);
  for (let i = 0; i < k; i++) {
    for (let y = 0; y < 28; y++) digits[i * PIXELS + y * 28 + 4 + i] = 255;
    digits[i * PIXELS] = 128;
  }
  return digits;
}

describe('paintDigits', () => {
  it('lays digits out in rows of `columns` with a gap, ink over paper', () => {
    const { width, height, rgba } = paintDigits(bars(3), 3, 2, 1, INK, PAPER);
    expect([width, height]).toEqual([2 * 28 + 3, 2 * 28 + 3]);
    const pixel = (x: number, y: number) =>
      Array.from(rgba.subarray(4 * (y * width + x), 4 * (y * width + x) + 4));
    expect(pixel(0, 0)).toEqual([...PAPER, 255]); // the gap
    expect(pixel(1 + 4, 1 + 10)).toEqual([...INK, 255]); // digit 0's bar
    expect(pixel(1 + 28 + 1 + 5, 1 + 3)).toEqual([...INK, 255]); // digit 1's bar, next column
    expect(pixel(1 + 6, 1 + 28 + 1 + 7)).toEqual([...INK, 255]); // digit 2's bar, second row
    expect(pixel(1, 1)).toEqual([130, 130, 130, 255]); // grey 128: half-way
    expect(pixel(1 + 28 + 1 + 4, 1 + 28 + 1 + 4)).toEqual([...PAPER, 255]); // no fourth digit
  });
});

describe('filmstripChart', () => {
  let calls: string[];
  beforeEach(() => {
    calls = recordCanvas([31, 35, 40, 255]);
    // jsdom has no ImageData without the canvas package.
    vi.stubGlobal(
      'ImageData',
      class ImageData {
        constructor(
          public data: Uint8ClampedArray,
          public width: number,
          public height = data.length / 4 / width,
        ) {}
      },
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('scales the grid to the box by whole device pixels and draws it once', () => {
    const canvas = document.createElement('canvas');
    const chart = filmstripChart(canvas);
    const digits = bars(16);
    chart.update({ digits, columns: 8 });
    expect(calls).toEqual([]); // no size yet
    chart.resize(500, 0);
    // 8 digits a row: 8 × 28 + 9 = 233 pixels wide, 2 rows: 2 × 28 + 3 = 59 high; 500 / 233 → 2×.
    expect([canvas.width, canvas.height]).toEqual([466, 118]);
    expect(canvas.style.width).toBe('466px');
    expect(calls).toContain('putImageData(ImageData(233×59), 0, 0)');
    expect(calls).toContain('drawImage(canvas(233×59), 0, 0, 466, 118)');
    const drawn = calls.length;
    chart.update({ digits, columns: 8 });
    expect(calls).toHaveLength(drawn); // the same digits again: nothing drawn
    expect(calls.filter((c) => /NaN|Infinity/.test(c))).toEqual([]);
  });

  it('labels each row at its left, beside the digits scaled to fit the height', () => {
    const canvas = document.createElement('canvas');
    const chart = filmstripChart(canvas);
    chart.resize(300, 200);
    chart.update({ digits: bars(4), columns: 2, rowLabels: ['g 0', 'g 1'] });
    // 2 rows of 2: 59 × 59 pixels; 200 / 59 → 3× (the 256 px beside the labels would allow 4×).
    expect(calls).toContain('drawImage(canvas(59×59), 44, 0, 177, 177)');
    expect(calls.filter((c) => c.startsWith('fillText('))).toEqual([
      'fillText("g 0", 38, 45)',
      'fillText("g 1", 38, 132)',
    ]);
  });

  it('empties the canvas while there are no digits, and draws nothing', () => {
    const canvas = document.createElement('canvas');
    const chart = filmstripChart(canvas);
    chart.resize(500, 300);
    chart.update({ digits: bars(4), columns: 2 });
    chart.update({ digits: new Uint8Array(0), columns: 8 });
    expect([canvas.width, canvas.height]).toEqual([0, 0]);
    expect(canvas.style.width).toBe('0px');
  });
});
