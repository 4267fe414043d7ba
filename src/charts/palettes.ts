// The categorical palettes drawn from TypeScript (the comparison variants' and the synthetic/real
// pair's live in styles.css, as CSS custom properties per theme). Each is checked in
// tests/unit/charts/palettes.test.ts under simulated protanopia, deuteranopia and tritanopia.
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

/** Digit `d`'s marker as an SVG path centred on the origin, `area` px² (for legends). */
export function digitMarkerPath(d: number, area: number): string {
  return symbol(DIGIT_SYMBOLS[d].type, area)() ?? '';
}
