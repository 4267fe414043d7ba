// Exporting a figure as it is drawn: one standalone SVG built from the figure's <svg> layers (with
// the page's computed styles inlined, so it looks the same outside the page) and its <canvas>
// layers (as embedded PNG images), under the figure's title; PNG renders that SVG onto a canvas.
// Works for every model's figures: it reads only the DOM a view renders.

/** Style properties a chart's look depends on (read from the page's computed style). */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
  'mix-blend-mode',
  'shape-rendering',
] as const;

const SVG_NS = 'http://www.w3.org/2000/svg';
const TITLE_HEIGHT = 28;

/** A figure on the page that can be exported: its name (data-testid) and title. */
export interface ExportableFigure {
  id: string;
  title: string;
}

/** The figures under `root` (each `<figure>` with a data-testid and an svg or canvas). */
export function exportableFigures(root: ParentNode = document): ExportableFigure[] {
  return Array.from(root.querySelectorAll<HTMLElement>('figure[data-testid]'))
    .filter((f) => f.querySelector('svg, canvas'))
    .map((f) => ({
      id: f.dataset.testid as string,
      title: (f.querySelector('figcaption strong')?.textContent ?? f.dataset.testid) as string,
    }));
}

/**
 * A computed colour as rgb(): the browser writes a mixed colour (color-mix, the density chart's
 * curves) as `color(srgb r g b / a)`, which SVG editors and older viewers do not read.
 */
export function portableColours(value: string): string {
  return value.replace(
    /color\(srgb ([-\d.e]+) ([-\d.e]+) ([-\d.e]+)(?: \/ ([-\d.e]+))?\)/g,
    (_, r: string, g: string, b: string, a?: string) => {
      const [R, G, B] = [r, g, b].map((c) => Math.round(255 * Math.min(1, Math.max(0, Number(c)))));
      return a === undefined ? `rgb(${R}, ${G}, ${B})` : `rgba(${R}, ${G}, ${B}, ${Number(a)})`;
    },
  );
}

function inlineStyles(source: Element, target: Element): void {
  const computed = getComputedStyle(source);
  const style = STYLE_PROPS.map(
    (p) => `${p}:${portableColours(computed.getPropertyValue(p))}`,
  ).join(';');
  target.setAttribute('style', style);
  const from = source.children;
  const to = target.children;
  for (let i = 0; i < from.length && i < to.length; i++) inlineStyles(from[i], to[i]);
}

/** A standalone SVG document of `figure`: title, canvases as images, svgs with inline styles. */
export function figureSvg(figure: HTMLElement): { markup: string; width: number; height: number } {
  const layers = Array.from(
    figure.querySelectorAll<SVGSVGElement | HTMLCanvasElement>('svg, canvas'),
  )
    // Only the chart's own layers: not icons inside captions or buttons.
    .filter((el) => !el.closest('figcaption, button') && el.getBoundingClientRect().width > 0);
  const boxes = layers.map((el) => el.getBoundingClientRect());
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const width = Math.ceil(Math.max(...boxes.map((b) => b.right)) - left);
  const height = Math.ceil(Math.max(...boxes.map((b) => b.bottom)) - top) + TITLE_HEIGHT;
  const page = getComputedStyle(document.body);

  const root = document.createElementNS(SVG_NS, 'svg');
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', page.backgroundColor);
  root.append(bg);
  const title = document.createElementNS(SVG_NS, 'text');
  title.setAttribute('x', '4');
  title.setAttribute('y', '18');
  title.setAttribute('style', `font: 600 14px ${page.fontFamily}; fill: ${page.color}`);
  title.textContent = figure.querySelector('figcaption strong')?.textContent ?? '';
  root.append(title);

  layers.forEach((el, i) => {
    const box = boxes[i];
    const x = String(Math.round(box.left - left));
    const y = String(Math.round(box.top - top) + TITLE_HEIGHT);
    if (el instanceof HTMLCanvasElement) {
      const image = document.createElementNS(SVG_NS, 'image');
      image.setAttribute('href', el.toDataURL('image/png'));
      image.setAttribute('x', x);
      image.setAttribute('y', y);
      image.setAttribute('width', String(box.width));
      image.setAttribute('height', String(box.height));
      root.append(image);
      return;
    }
    const copy = el.cloneNode(true) as SVGSVGElement;
    inlineStyles(el, copy);
    copy.removeAttribute('role');
    copy.removeAttribute('aria-label');
    copy.setAttribute('x', x);
    copy.setAttribute('y', y);
    copy.setAttribute('width', String(box.width));
    copy.setAttribute('height', String(box.height));
    root.append(copy);
  });
  const markup = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
  return { markup, width, height };
}

/** The figure as PNG at `scale` × its on-screen size (2: sharp on print and high-DPI screens). */
export async function figurePng(figure: HTMLElement, scale = 2): Promise<Blob> {
  const { markup, width, height } = figureSvg(figure);
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas');
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves `data` as a file named `name` (a download the browser offers to keep). */
export function download(name: string, data: Blob | string, type = 'text/plain'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the blob once the click's task ends.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
