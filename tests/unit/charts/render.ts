// Helpers for the chart tests (run under jsdom): an SVG element to draw into, a readable and
// stable serialisation of what a chart drew (for file snapshots that open as images), a search
// for non-finite numbers in it, and a recording 2-D canvas context (jsdom has no canvas).
import { vi } from 'vitest';

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svgElement(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  document.body.append(svg);
  return svg;
}

/** Numbers with a fraction, rounded to 2 decimals so snapshots show the drawing, not float noise. */
function roundNumbers(value: string): string {
  return value.replace(/-?\d+\.\d+(?:e[-+]?\d+)?|-?\d+e[-+]?\d+/gi, (m) =>
    String(Math.round(Number(m) * 100) / 100 + 0),
  );
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The element and everything in it as indented SVG, one element per line, numbers rounded and
 * clip-path ids (a module-wide counter) made independent of test order. The root gets its
 * namespace and `title`, so a snapshot file opens as an image and says what it shows.
 */
export function serializeSvg(root: Element, title: string): string {
  const lines: string[] = [];
  const walk = (el: Element, depth: number) => {
    const pad = '  '.repeat(depth);
    const attributes = [...el.attributes].map((a) => [a.name, a.value]);
    if (depth === 0 && !el.hasAttribute('xmlns')) attributes.unshift(['xmlns', SVG_NS]);
    const attrs = attributes
      .map(
        ([name, value]) =>
          ` ${name}="${escapeXml(roundNumbers(value.replace(/clip-\d+/g, 'clip')))}"`,
      )
      .join('');
    const text = [...el.childNodes]
      .filter((n) => n.nodeType === n.TEXT_NODE)
      .map((n) => n.textContent)
      .join('')
      .trim();
    const children = [...el.children];
    if (children.length === 0) {
      lines.push(
        text
          ? `${pad}<${el.tagName}${attrs}>${escapeXml(text)}</${el.tagName}>`
          : `${pad}<${el.tagName}${attrs}/>`,
      );
      return;
    }
    lines.push(`${pad}<${el.tagName}${attrs}>${text ? escapeXml(text) : ''}`);
    if (depth === 0) lines.push(`  <title>${escapeXml(title)}</title>`);
    for (const child of children) walk(child, depth + 1);
    lines.push(`${pad}</${el.tagName}>`);
  };
  walk(root, 0);
  return `${lines.join('\n')}\n`;
}

/** Every attribute value and text in the tree that says NaN or Infinity, as `tag[name]: value`. */
export function nonFinite(root: Element): string[] {
  const found: string[] = [];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const a of el.attributes) {
      if (/NaN|Infinity/.test(a.value))
        found.push(`${el.tagName}[${a.name}]: ${a.value.slice(0, 60)}`);
    }
    for (const n of el.childNodes) {
      if (n.nodeType === n.TEXT_NODE && /NaN|Infinity/.test(n.textContent ?? ''))
        found.push(`${el.tagName} text: ${n.textContent?.slice(0, 60)}`);
    }
  }
  return found;
}

function describeArg(v: unknown): string {
  if (typeof v === 'number') return roundNumbers(String(v));
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof HTMLCanvasElement !== 'undefined' && v instanceof HTMLCanvasElement)
    return `canvas(${v.width}×${v.height})`;
  if (v && typeof v === 'object' && 'width' in v && 'height' in v)
    return `${v.constructor.name}(${v.width}×${v.height})`;
  return String(v);
}

/**
 * Makes every canvas's getContext('2d') return a context that records each call and property
 * set as a line of text (restored when the test's mocks are). getImageData reads back `pixel`.
 */
export function recordCanvas(pixel: [number, number, number, number] = [12, 34, 56, 255]) {
  const calls: string[] = [];
  const context = () => {
    const state: Record<string | symbol, unknown> = {};
    return new Proxy(state, {
      get(target, prop) {
        if (prop in target) return target[prop];
        if (prop === 'getImageData')
          return (_x: number, _y: number, w: number, h: number) => ({
            data: Uint8ClampedArray.from({ length: w * h * 4 }, (_, i) => pixel[i % 4]),
          });
        return (...args: unknown[]) => {
          calls.push(`${String(prop)}(${args.map(describeArg).join(', ')})`);
        };
      },
      set(target, prop, value) {
        target[prop] = value;
        calls.push(`${String(prop)} = ${describeArg(value)}`);
        return true;
      },
    });
  };
  const contexts = new WeakMap<HTMLCanvasElement, unknown>();
  const getContext = function (this: HTMLCanvasElement) {
    if (!contexts.has(this)) contexts.set(this, context());
    return contexts.get(this);
  };
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(getContext as never);
  return calls;
}
