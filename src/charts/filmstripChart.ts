// A grid of 28×28 digits on a canvas, in rows of `columns`, optionally one labelled row per
// generation. Pixels stay crisp (nearest-neighbour scaling, by a whole number of device pixels
// where the space allows) and follow the theme: ink in --ink on the --panel background.
import { type ChartTable, cell } from './chartTable';
import type { Chart } from './frame';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

export interface FilmstripData {
  /** k × 784 bytes, row-major digits, 0 = background. */
  digits: Uint8Array;
  /** Digits per row. */
  columns: number;
  /** Digits drawn (default: all of them). */
  count?: number;
  /** One label per row, drawn at its left (e.g. "g 3"). */
  rowLabels?: string[];
}

export interface FilmstripOptions {
  /** Background pixels between digits, in digit pixels (default 1). */
  gap?: number;
  /** Width kept for row labels, CSS pixels (default 0; 44 when rows are labelled). */
  labelWidth?: number;
}

type Rgb = [number, number, number];

const rgbCache = new Map<string, Rgb>();

/**
 * Any CSS colour to RGB (through a 1×1 canvas, so names and rgb() work as well as hex). Cached
 * by the colour's text: reading a canvas back is slow, and the theme's colours rarely change.
 */
function cssRgb(css: string, fallback: Rgb): Rgb {
  if (!css.trim()) return fallback;
  const key = `${css.trim()}|${fallback.join(',')}`;
  const cached = rgbCache.get(key);
  if (cached) return cached;
  const probe = document.createElement('canvas');
  probe.width = 1;
  probe.height = 1;
  const ctx = probe.getContext('2d', { willReadFrequently: true });
  if (!ctx) return fallback;
  ctx.fillStyle = `rgb(${fallback.join(',')})`;
  ctx.fillStyle = css.trim();
  ctx.fillRect(0, 0, 1, 1);
  const d = ctx.getImageData(0, 0, 1, 1).data;
  const rgb: Rgb = [d[0], d[1], d[2]];
  rgbCache.set(key, rgb);
  return rgb;
}

/**
 * Paints `count` digits into an RGBA buffer of the grid's intrinsic size (1 digit pixel = 1).
 * Each grey level's colour is worked out once (256 of them), then pixels are copied as 32-bit
 * words: cheap even before the JIT has warmed up, as on a run's first generation.
 */
export function paintDigits(
  digits: Uint8Array,
  count: number,
  columns: number,
  gap: number,
  ink: Rgb,
  paper: Rgb,
): { width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer> } {
  const rows = Math.max(1, Math.ceil(count / columns));
  const width = columns * SIDE + (columns + 1) * gap;
  const height = rows * SIDE + (rows + 1) * gap;
  const rgba = new Uint8ClampedArray(width * height * 4);
  // The colour of grey level v, blended (and clamped) exactly as one pixel at a time would be.
  const lut = new Uint32Array(256);
  const one = new Uint8ClampedArray(lut.buffer);
  for (let v = 0; v < 256; v++) {
    const t = v / 255;
    one[4 * v] = paper[0] + (ink[0] - paper[0]) * t;
    one[4 * v + 1] = paper[1] + (ink[1] - paper[1]) * t;
    one[4 * v + 2] = paper[2] + (ink[2] - paper[2]) * t;
    one[4 * v + 3] = 255;
  }
  const pixels = new Uint32Array(rgba.buffer);
  pixels.fill(lut[0]);
  for (let k = 0; k < count; k++) {
    const ox = gap + (k % columns) * (SIDE + gap);
    const oy = gap + Math.floor(k / columns) * (SIDE + gap);
    for (let y = 0; y < SIDE; y++) {
      const src = k * PIXELS + y * SIDE;
      const dst = (oy + y) * width + ox;
      for (let x = 0; x < SIDE; x++) pixels[dst + x] = lut[digits[src + x]];
    }
  }
  return { width, height, rgba };
}

export function filmstripChart(
  canvas: HTMLCanvasElement,
  options: FilmstripOptions = {},
): Chart<FilmstripData> {
  const gap = options.gap ?? 1;
  const grid = document.createElement('canvas');
  let last: FilmstripData | null = null;
  let box = { width: 0, height: 0 };
  /** What the canvas shows now, so that an update with the same digits draws nothing. */
  let drawn: { digits: Uint8Array; key: string } | null = null;

  const render = () => {
    if (!last || box.width === 0) return;
    const { digits, columns } = last;
    const count = Math.min(
      last.count ?? Math.floor(digits.length / PIXELS),
      digits.length / PIXELS,
    );
    if (count <= 0) {
      // Nothing yet (a run is starting): no stale digits from the previous run.
      canvas.width = 0;
      canvas.height = 0;
      canvas.style.width = '0px';
      canvas.style.height = '0px';
      drawn = null;
      return;
    }
    const labels = last.rowLabels ?? [];
    const labelWidth = options.labelWidth ?? (labels.length > 0 ? 44 : 0);
    const style = getComputedStyle(canvas);
    const css = ['--ink', '--panel', '--muted', '--font'].map((p) => style.getPropertyValue(p));
    const dpr = globalThis.devicePixelRatio || 1;
    const key = [columns, count, labelWidth, box.width, box.height, dpr, ...css, ...labels].join(
      '|',
    );
    // Streamed results re-feed every chart; digits already on the canvas are not drawn again.
    if (drawn && drawn.digits === digits && drawn.key === key) return;
    const ink = cssRgb(css[0], [31, 35, 40]);
    const paper = cssRgb(css[1], [255, 255, 255]);
    const painted = paintDigits(digits, count, columns, gap, ink, paper);
    grid.width = painted.width;
    grid.height = painted.height;
    grid.getContext('2d')?.putImageData(new ImageData(painted.rgba, painted.width), 0, 0);

    // Scale to fit the box; a whole number of device pixels per digit pixel when that is ≥ 1.
    const fit = Math.min(
      (box.width - labelWidth) / painted.width,
      box.height > 0 ? box.height / painted.height : Number.POSITIVE_INFINITY,
    );
    const devicePerPixel = fit * dpr >= 1 ? Math.floor(fit * dpr) : fit * dpr;
    const scale = Math.max(0.1, devicePerPixel / dpr);
    const cssWidth = labelWidth + painted.width * scale;
    const cssHeight = painted.height * scale;
    canvas.width = Math.round(cssWidth * dpr);
    canvas.height = Math.round(cssHeight * dpr);
    canvas.style.width = `${cssWidth}px`;
    canvas.style.height = `${cssHeight}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    drawn = { digits, key };
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(
      grid,
      Math.round(labelWidth * dpr),
      0,
      Math.round(painted.width * scale * dpr),
      Math.round(painted.height * scale * dpr),
    );
    if (labels.length > 0) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = css[2].trim() || '#5b6470';
      ctx.font = `11px ${css[3].trim() || 'sans-serif'}`;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      labels.forEach((text, row) => {
        const y = (gap + row * (SIDE + gap) + SIDE / 2) * scale;
        ctx.fillText(text, labelWidth - 6, y);
      });
    }
  };

  return {
    update(data) {
      last = data;
      render();
    },
    resize(width, height) {
      box = { width, height };
      render();
    },
    destroy() {
      last = null;
      drawn = null;
      canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
    },
  };
}

/**
 * The chart's numbers, a row of digits to a table row: how many digits it draws, their mean ink
 * (share of the darkest level) and their variety (the pixels' standard deviation across the row's
 * digits, averaged over the 784 pixels: 0 when every digit in the row is the same image).
 */
export function filmstripTable(data: FilmstripData): ChartTable {
  const total = Math.min(
    data.count ?? Number.POSITIVE_INFINITY,
    Math.floor(data.digits.length / PIXELS),
  );
  const rowCount = data.rowLabels ? data.rowLabels.length : Math.ceil(total / data.columns);
  const rows: ChartTable['rows'] = [];
  for (let r = 0; r < rowCount; r++) {
    const first = r * data.columns;
    const k = Math.max(0, Math.min(data.columns, total - first));
    let ink = 0;
    let spread = 0;
    for (let p = 0; p < PIXELS; p++) {
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < k; i++) {
        const v = data.digits[(first + i) * PIXELS + p] / 255;
        sum += v;
        sq += v * v;
      }
      const mean = k ? sum / k : 0;
      ink += mean;
      spread += Math.sqrt(Math.max(0, (k ? sq / k : 0) - mean * mean));
    }
    rows.push({
      header: data.rowLabels?.[r] ?? `row ${r + 1}`,
      cells: [k, cell(k ? (100 * ink) / PIXELS : null, '–'), cell(k ? spread / PIXELS : null, '–')],
    });
  }
  return {
    caption: 'The digits drawn, per row: how many, how much ink, how varied',
    columns: ['row', 'digits', 'mean ink (%)', 'variety (pixel std, 0–1)'],
    rows,
  };
}
