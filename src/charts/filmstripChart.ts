// A grid of 28×28 digits on a canvas, in rows of `columns`, optionally one labelled row per
// generation. Pixels stay crisp (nearest-neighbour scaling, by a whole number of device pixels
// where the space allows) and follow the theme: ink in --ink on the --panel background.
import type { Chart } from './metricChart';

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

/** Any CSS colour to RGB (through a 1×1 canvas, so names and rgb() work as well as hex). */
function cssRgb(css: string, fallback: Rgb): Rgb {
  const probe = document.createElement('canvas');
  probe.width = 1;
  probe.height = 1;
  const ctx = probe.getContext('2d', { willReadFrequently: true });
  if (!ctx || !css.trim()) return fallback;
  ctx.fillStyle = `rgb(${fallback.join(',')})`;
  ctx.fillStyle = css.trim();
  ctx.fillRect(0, 0, 1, 1);
  const d = ctx.getImageData(0, 0, 1, 1).data;
  return [d[0], d[1], d[2]];
}

/** Paints `count` digits into an RGBA buffer of the grid's intrinsic size (1 digit pixel = 1). */
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
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = paper[0];
    rgba[4 * i + 1] = paper[1];
    rgba[4 * i + 2] = paper[2];
    rgba[4 * i + 3] = 255;
  }
  for (let k = 0; k < count; k++) {
    const ox = gap + (k % columns) * (SIDE + gap);
    const oy = gap + Math.floor(k / columns) * (SIDE + gap);
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const t = digits[k * PIXELS + y * SIDE + x] / 255;
        if (t === 0) continue;
        const o = 4 * ((oy + y) * width + ox + x);
        rgba[o] = paper[0] + (ink[0] - paper[0]) * t;
        rgba[o + 1] = paper[1] + (ink[1] - paper[1]) * t;
        rgba[o + 2] = paper[2] + (ink[2] - paper[2]) * t;
      }
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
      return;
    }
    const labels = last.rowLabels ?? [];
    const labelWidth = options.labelWidth ?? (labels.length > 0 ? 44 : 0);
    const style = getComputedStyle(canvas);
    const ink = cssRgb(style.getPropertyValue('--ink'), [31, 35, 40]);
    const paper = cssRgb(style.getPropertyValue('--panel'), [255, 255, 255]);
    const painted = paintDigits(digits, count, columns, gap, ink, paper);
    grid.width = painted.width;
    grid.height = painted.height;
    grid.getContext('2d')?.putImageData(new ImageData(painted.rgba, painted.width), 0, 0);

    // Scale to fit the box; a whole number of device pixels per digit pixel when that is ≥ 1.
    const dpr = globalThis.devicePixelRatio || 1;
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
      ctx.fillStyle = style.getPropertyValue('--muted').trim() || '#5b6470';
      ctx.font = `11px ${style.getPropertyValue('--font').trim() || 'sans-serif'}`;
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
      canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
    },
  };
}
