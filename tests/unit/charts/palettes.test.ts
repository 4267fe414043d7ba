// Every categorical palette stays distinguishable with each common colour-vision deficiency:
// simulated with Machado, Oliveira & Fernandes's matrices at severity 1 (protanopia, deuteranopia,
// tritanopia: the complete loss of one cone type, the hardest case), the closest pair of a palette
// must stay at least MIN_DELTA_E apart in CIEDE2000.
//
// Why 10: ΔE₀₀ ≈ 1–2 is the just-noticeable difference for large patches side by side, but chart
// marks are thin lines, 2-px dots and legend swatches read apart from the mark they name; Szafir
// (2018, "Modeling Color Difference for Visualization Design", IEEE TVCG 24(1)) measured that such
// small marks need several times the patch threshold to be told apart reliably. 10 is the usual
// floor for categorical chart palettes, and one that a published ten-colour scheme can meet (Paul
// Tol's "muted": 11.5 at worst); the ten digit colours are also paired with a second channel
// (marker shapes, direct labels), tested here too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIGIT_COLOURS, DIGIT_SYMBOLS, digitMarkerPath } from '../../../src/charts/palettes';
import {
  ciede2000,
  closestPair,
  linearToLab,
  parseHex,
  simulate,
  VISIONS,
  type Vision,
} from './colourVision';

const MIN_DELTA_E = 10;

/** The palettes that live in styles.css, per theme, read from the file itself. */
function cssPalettes(): Record<string, string[]> {
  const css = readFileSync(new URL('../../../src/ui/styles.css', import.meta.url), 'utf8');
  const all = (name: string) =>
    [...css.matchAll(new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{3,6})`, 'g'))].map((m) => m[1]);
  const variants = [0, 1, 2, 3].map((i) => all(`variant-${i}`));
  const synthetic = all('synthetic');
  const realbar = all('realbar');
  const out: Record<string, string[]> = {};
  // Each variant colour is set once per theme (light :root, then dark).
  for (let theme = 0; theme < variants[0].length; theme++)
    out[`comparison variants, theme ${theme}`] = variants.map((v) => v[theme]);
  for (let theme = 0; theme < synthetic.length; theme++)
    out[`synthetic / real points, theme ${theme}`] = [synthetic[theme], realbar[theme]];
  // A metric chart's lines: the median (accent), the theory curve and the real reference.
  const [accent, theory, real] = [all('accent'), all('theory'), all('real')];
  for (let theme = 0; theme < accent.length; theme++)
    out[`median / theory / real lines, theme ${theme}`] = [
      accent[theme],
      theory[theme],
      real[theme],
    ];
  return out;
}

const PALETTES: Record<string, readonly string[]> = {
  'digit classes (VAE)': DIGIT_COLOURS,
  ...cssPalettes(),
};

describe('the colour science', () => {
  it('CIEDE2000 gives Sharma, Wu & Dalal’s published test values', () => {
    // Pairs 1, 7 and 17 of their Table 1.
    expect(ciede2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(ciede2000([50, 0, 0], [50, -1, 2])).toBeCloseTo(2.3669, 4);
    expect(ciede2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
  });

  it('keeps greys grey under every simulation, and merges red and green for protanopes', () => {
    for (const v of VISIONS) {
      const [l, a, b] = linearToLab(simulate(parseHex('#808080'), v));
      expect(l).toBeCloseTo(53.6, 0);
      expect(Math.hypot(a, b)).toBeLessThan(1);
    }
    const apart = (v: Vision) =>
      ciede2000(
        linearToLab(simulate(parseHex('#d62728'), v)),
        linearToLab(simulate(parseHex('#2ca02c'), v)),
      );
    expect(apart('normal')).toBeGreaterThan(60);
    expect(apart('deuteranopia')).toBeLessThan(20);
  });

  it('would fail the Tableau 10 digit palette used before (0.7 apart for deuteranopes)', () => {
    const tableau = [
      '#4e79a7',
      '#f28e2b',
      '#e15759',
      '#76b7b2',
      '#59a14f',
      '#edc948',
      '#b07aa1',
      '#ff9da7',
      '#9c755f',
      '#bab0ac',
    ];
    expect(closestPair(tableau, 'deuteranopia').distance).toBeLessThan(1);
    expect(closestPair(tableau, 'protanopia').distance).toBeLessThan(MIN_DELTA_E);
  });
});

describe('every categorical palette', () => {
  it('reads four comparison variants per theme and both themes’ synthetic/real pair', () => {
    expect(Object.keys(PALETTES).length).toBeGreaterThanOrEqual(5);
    for (const p of Object.values(PALETTES)) for (const c of p) expect(c).toMatch(/^#/);
  });

  for (const [name, palette] of Object.entries(PALETTES))
    for (const vision of VISIONS)
      it(`keeps ${name} ≥ ${MIN_DELTA_E} ΔE₀₀ apart with ${vision}`, () => {
        const { distance, pair } = closestPair(palette, vision);
        expect({ distance: distance >= MIN_DELTA_E ? 'ok' : distance, pair }).toEqual({
          distance: 'ok',
          pair,
        });
      });
});

describe('the digits’ second channel', () => {
  it('gives each digit its own marker shape', () => {
    expect(DIGIT_SYMBOLS).toHaveLength(10);
    expect(new Set(DIGIT_SYMBOLS.map((s) => s.type)).size).toBe(10);
    const paths = DIGIT_COLOURS.map((_, d) => digitMarkerPath(d, 40));
    expect(new Set(paths).size).toBe(10);
    for (const p of paths) expect(p).not.toMatch(/NaN|Infinity/);
  });
});
