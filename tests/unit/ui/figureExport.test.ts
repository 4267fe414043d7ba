// An exported figure's colours are written as rgb(): a mixed colour's computed value,
// `color(srgb r g b / a)`, is not read by SVG editors and older viewers.
import { describe, expect, it } from 'vitest';
import { portableColours } from '../../../src/ui/figureExport';

describe('portableColours', () => {
  it('writes color(srgb …) as rgb() or rgba(), in 0–255, clamped', () => {
    expect(portableColours('color(srgb 0.740667 0.552196 0.505294)')).toBe('rgb(189, 141, 129)');
    expect(portableColours('color(srgb 1 0 0.5 / 0.35)')).toBe('rgba(255, 0, 128, 0.35)');
    expect(portableColours('color(srgb 1.2 -0.1 0)')).toBe('rgb(255, 0, 0)');
    // The density chart's 43 % mix of #c2410c into #b9c6d9, as Chromium computes it, is the
    // colour d3's interpolateRgb gave before (rgb(189, 140, 128)) to within rounding.
    const [r, g, b] = (
      portableColours('color(srgb 0.740667 0.552196 0.505294)').match(/\d+/g) ?? []
    ).map(Number);
    expect(Math.abs(r - 189) + Math.abs(g - 140) + Math.abs(b - 128)).toBeLessThanOrEqual(2);
  });

  it('leaves every other value as it is', () => {
    for (const v of ['rgb(1, 2, 3)', 'none', '#fff', 'url(#a)', '1.5px', 'color(display-p3 1 0 0)'])
      expect(portableColours(v)).toBe(v);
  });
});
