// WCAG 2.2 SC 1.4.11 (non-text contrast): every categorical colour a chart draws — or, where the
// colour alone is too close to the background, the edge drawn around its mark — has at least 3:1
// against what it sits on: the figure's panel (--panel) and the page (--bg: legends outside a
// figure, an exported figure's background), in the light theme and the dark one. The colours are
// read from the stylesheets the app loads and from palettes.ts, not copied here.
//
// Contrast is computed with WCAG's own definition (relative luminance of sRGB, "contrast ratio"
// in WCAG 2.2's glossary), written out here independently of anything in src/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DIGIT_COLOURS,
  DIGIT_EDGE,
  DIGIT_SYMBOLS,
  digitMarkerLayers,
  type MarkerLayer,
} from '../../../src/charts/palettes';

const MIN_CONTRAST = 3;

/** WCAG 2.2 relative luminance of a #rgb / #rrggbb colour. */
function relativeLuminance(hex: string): number {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  expect(full).toMatch(/^[0-9a-f]{6}$/i);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const s = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.2 contrast ratio, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// --- The themes, as the stylesheets set them -----------------------------------------------------

const read = (path: string) =>
  readFileSync(new URL(`../../../src/${path}`, import.meta.url), 'utf8').replace(
    /\/\*[\s\S]*?\*\//g,
    '',
  );
const STYLES = read('ui/styles.css');
const VAE_CSS = read('ui/models/vae/vae.css');
const DIFFUSION_CSS = read('ui/models/diffusion/diffusion.css');

interface Rule {
  selector: string;
  declarations: Record<string, string>;
}

/** Every innermost rule of a stylesheet (an @media's rules come out as its own rules). */
function rules(css: string): Rule[] {
  return [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({
    selector: m[1].trim(),
    declarations: Object.fromEntries(
      m[2]
        .split(';')
        .map((d) => d.split(/:(.*)/s).map((p) => p.trim()))
        .filter(([name, value]) => name && value)
        .map(([name, value]) => [name, value]),
    ),
  }));
}

/** The custom properties the rules with exactly `selector` set, later ones winning. */
function tokens(selector: string): Record<string, string> {
  return Object.assign(
    {},
    ...rules(STYLES)
      .filter((r) => r.selector === selector)
      .map((r) => r.declarations),
  );
}

const LIGHT = tokens(':root');
/** Dark by the reader's preference (inside `@media (prefers-color-scheme: dark)`). */
const DARK_PREFERRED = { ...LIGHT, ...tokens(':root:not([data-theme="light"])') };
/** Dark by the page's choice (an embed's theme=dark). */
const DARK_CHOSEN = { ...LIGHT, ...tokens(':root[data-theme="dark"]') };
const THEMES = { light: LIGHT, dark: DARK_CHOSEN } as const;

/** A value with its var() references followed in `theme`. */
function resolve(value: string, theme: Record<string, string>, depth = 0): string {
  const ref = /^var\((--[\w-]+)(?:,\s*(.+))?\)$/.exec(value.trim());
  if (!ref) return value.trim();
  expect(depth, `var() loop at ${value}`).toBeLessThan(10);
  const next = theme[ref[1]] ?? ref[2];
  expect(next, `${ref[1]} is not set`).toBeDefined();
  return resolve(next as string, theme, depth + 1);
}

/** The colour of custom property `name` in `theme`, as #hex. */
function colour(name: string, theme: Record<string, string>): string {
  const value = resolve(`var(${name})`, theme);
  expect(value, `${name} is a hex colour`).toMatch(/^#[0-9a-f]{3,6}$/i);
  return value;
}

/** The backgrounds a chart's marks are seen on. */
const BACKGROUNDS = ['--panel', '--bg'] as const;

/** The categorical colours set in styles.css (the ones palettes.test.ts checks for colour blindness). */
const CSS_CATEGORICAL = [
  '--variant-0',
  '--variant-1',
  '--variant-2',
  '--variant-3',
  '--synthetic',
  '--realbar',
  '--accent',
  '--theory',
  '--real',
];

// --- The tests -----------------------------------------------------------------------------------

describe('the WCAG contrast ratio', () => {
  it('gives the published values: 21:1 black on white, 4.5:1 at #767676 on white', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
    // #767676 is the lightest grey with 4.5:1 on white; #777777 falls just short.
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrast('#777777', '#fff')).toBeCloseTo(4.48, 2);
    // Pure primaries: red 4.00, green 1.37, blue 8.59 against white.
    expect(contrast('#ff0000', '#ffffff')).toBeCloseTo(4.0, 2);
    expect(contrast('#00ff00', '#ffffff')).toBeCloseTo(1.37, 2);
    expect(contrast('#0000ff', '#ffffff')).toBeCloseTo(8.59, 2);
  });
});

describe('the themes read from styles.css', () => {
  it('have a panel and a page colour each, and the dark ones differ from the light', () => {
    for (const theme of Object.values(THEMES))
      for (const bg of BACKGROUNDS) expect(colour(bg, theme)).toMatch(/^#/);
    expect(colour('--panel', DARK_CHOSEN)).not.toBe(colour('--panel', LIGHT));
  });

  it('give the same dark colours whether the reader prefers dark or the page chooses it', () => {
    // The preference rule only ever appears inside the dark media query.
    const preferred = STYLES.match(/:root:not\(\[data-theme="light"\]\)/g) ?? [];
    const inMedia =
      STYLES.match(
        /@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme="light"\]\)/g,
      ) ?? [];
    expect(inMedia.length).toBe(preferred.length);
    expect(preferred.length).toBeGreaterThan(0);
    for (const name of [...BACKGROUNDS, '--ink', ...CSS_CATEGORICAL])
      expect([name, colour(name, DARK_PREFERRED)]).toEqual([name, colour(name, DARK_CHOSEN)]);
  });
});

describe('every categorical colour set in styles.css', () => {
  for (const [themeName, theme] of Object.entries(THEMES))
    for (const name of CSS_CATEGORICAL)
      for (const bg of BACKGROUNDS)
        it(`has ${name} at ≥ ${MIN_CONTRAST}:1 against ${bg} (${themeName})`, () => {
          const ratio = contrast(colour(name, theme), colour(bg, theme));
          expect({
            [name]: colour(name, theme),
            ratio: ratio >= MIN_CONTRAST ? 'ok' : ratio,
          }).toEqual({ [name]: colour(name, theme), ratio: 'ok' });
        });

  it('is drawn opaque as the diffusion filmstrip’s points (a translucent point loses contrast)', () => {
    const points = rules(DIFFUSION_CSS).find(
      (r) => r.selector === '.scatter-strip .strip-points circle',
    );
    expect(points?.declarations.fill).toBe('var(--synthetic)');
    expect(Object.keys(points?.declarations ?? {}).filter((p) => p.includes('opacity'))).toEqual(
      [],
    );
  });
});

/** The colour that bounds a digit's marker: its widest stroke's, or its fill's if unstroked. */
function boundary(layers: MarkerLayer[]): MarkerLayer['colour'] {
  const strokes = layers.filter((l) => l.paint === 'stroke');
  if (strokes.length === 0) return layers[0].colour;
  return strokes.reduce((a, b) => (b.width > a.width ? b : a)).colour;
}

describe('every digit mark (VAE latent scatter, its legend, class-share bands)', () => {
  const digitBoundary = (d: number, theme: Record<string, string>, line: number) => {
    const side = boundary(digitMarkerLayers(d, line));
    return side === 'edge' ? colour(DIGIT_EDGE, theme) : DIGIT_COLOURS[d];
  };

  for (const [themeName, theme] of Object.entries(THEMES))
    for (const bg of BACKGROUNDS)
      it(`has a boundary ≥ ${MIN_CONTRAST}:1 against ${bg} for each digit's marker (${themeName})`, () => {
        // Line widths the latent chart (1.6) and the legend (1.8) draw stroked shapes with.
        const short = [1.6, 1.8].flatMap((line) =>
          DIGIT_COLOURS.map((_, d) => {
            const edge = digitBoundary(d, theme, line);
            return { d, line, edge, ratio: contrast(edge, colour(bg, theme)) };
          }).filter((m) => m.ratio < MIN_CONTRAST),
        );
        expect(short).toEqual([]);
      });

  it('paints a filled marker’s edge over its fill, and a stroked marker’s over a wider ink line', () => {
    for (let d = 0; d < 10; d++) {
      const layers = digitMarkerLayers(d, 1.6);
      const edge = layers.findIndex((l) => l.colour === 'edge');
      expect(edge).toBeGreaterThanOrEqual(0);
      if (DIGIT_SYMBOLS[d].filled) expect(edge).toBe(layers.length - 1);
      else expect(edge).toBe(0);
    }
  });

  it('has the class-share bands edged in the same ink, and the legend’s markers too', () => {
    const bands = rules(VAE_CSS).find((r) => r.selector === '.class-layer');
    expect(bands?.declarations.stroke).toBe(`var(${DIGIT_EDGE})`);
    expect(Number.parseFloat(bands?.declarations['stroke-width'] ?? '0')).toBeGreaterThan(0);
    // The legend draws its edge in currentColor.
    const legend = rules(VAE_CSS).find((r) => r.selector === '.digit-legend .digit-marker');
    expect(legend?.declarations.color).toBe(`var(${DIGIT_EDGE})`);
  });
});
