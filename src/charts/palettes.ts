// The categorical palettes drawn from TypeScript (the comparison variants' and the synthetic/real
// pair's live in styles.css, as CSS custom properties per theme). Each is checked in
// tests/unit/charts/palettes.test.ts under simulated protanopia, deuteranopia and tritanopia, and
// in tests/unit/charts/contrast.test.ts for 3:1 against either theme's panel (WCAG 1.4.11).
import {
  type SymbolType,
  symbol,
  symbolAsterisk,
  symbolCircle,
  symbolCross,
  symbolDiamond,
  symbolPlus,
  symbolSquare,
  symbolStar,
  symbolTimes,
  symbolTriangle,
  symbolWye,
} from 'd3-shape';

/**
 * One colour per digit 0–9: Paul Tol's "muted" scheme (nine colours and a pale grey), designed to
 * stay apart for colour-blind readers. Ten colours cannot all stay far apart by hue alone, so
 * every chart pairs them with a second channel: a marker shape (DIGIT_SYMBOLS) or the digit
 * written beside its band.
 *
 * One palette serves both themes, so some colours are too close to the panel on their own (the
 * pale ones on light, the dark ones on dark: under WCAG's 3:1 for graphics). Rather than a second,
 * less recognisable ten-colour set, every digit mark gets an edge in the page's ink colour
 * (DIGIT_EDGE, see digitMarkerLayers; the class-share bands' in vae.css), which is far above 3:1
 * in both themes.
 */
export const DIGIT_COLOURS = [
  '#332288',
  '#88ccee',
  '#44aa99',
  '#117733',
  '#999933',
  '#ddcc77',
  '#cc6677',
  '#882255',
  '#aa4499',
  '#dddddd',
] as const;

/** One marker shape per digit: seven filled shapes, then three drawn as strokes. */
export const DIGIT_SYMBOLS: readonly { type: SymbolType; filled: boolean }[] = [
  { type: symbolCircle, filled: true },
  { type: symbolSquare, filled: true },
  { type: symbolTriangle, filled: true },
  { type: symbolDiamond, filled: true },
  { type: symbolStar, filled: true },
  { type: symbolWye, filled: true },
  { type: symbolCross, filled: true },
  { type: symbolTimes, filled: false },
  { type: symbolPlus, filled: false },
  { type: symbolAsterisk, filled: false },
];

/** The CSS custom property whose colour edges every digit mark (the page's ink). */
export const DIGIT_EDGE = '--ink';

/** Width of a digit marker's ink edge, in px at the marker's size. */
const EDGE_WIDTH = 0.8;

/** One coat of paint on a digit's marker path: filled or stroked, in the digit's colour or ink. */
export interface MarkerLayer {
  paint: 'fill' | 'stroke';
  colour: 'digit' | 'edge';
  /** Stroke width in px (0 for a fill). */
  width: number;
}

/**
 * How digit `d`'s marker is painted, bottom coat first, for a stroked shape's line `line` px wide.
 * Its outer boundary is always the ink edge: a filled shape is outlined in it, a stroked one is
 * drawn over a wider ink stroke (a casing), so the mark meets 3:1 against the panel whatever its
 * colour.
 */
export function digitMarkerLayers(d: number, line: number): MarkerLayer[] {
  if (DIGIT_SYMBOLS[d]?.filled ?? true)
    return [
      { paint: 'fill', colour: 'digit', width: 0 },
      { paint: 'stroke', colour: 'edge', width: EDGE_WIDTH },
    ];
  return [
    { paint: 'stroke', colour: 'edge', width: line + 2 * EDGE_WIDTH },
    { paint: 'stroke', colour: 'digit', width: line },
  ];
}

/** Digit `d`'s marker as an SVG path centred on the origin, `area` px² (for legends). */
export function digitMarkerPath(d: number, area: number): string {
  return symbol(DIGIT_SYMBOLS[d].type, area)() ?? '';
}
