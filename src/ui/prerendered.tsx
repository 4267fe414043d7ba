// Charts the build drew into the page (ui/story/prerender.tsx): the story's opening figure at
// generation 0, so a reader sees it before any JavaScript has run. The same seeded recipe gives
// the same generation 0 in the tab; when the tab's own run delivers it, useChart clears the drawn
// copy and draws live from there on.
//
// A drawn chart is an <svg> whose children React does not own: it renders them as inner HTML
// (which hydration keeps as it is) and, in the browser, reads them back from the page before
// hydrating (readPrerendered), so the build's tree and the browser's first tree are the same.
import { createContext, type SVGProps, useContext, useMemo } from 'react';
// The attribute that marks a drawn chart: "<section> <chart>".
import { PRERENDERED_ATTRIBUTE } from '../state/marks';

export interface PrerenderedChart {
  /** The chart's inner SVG markup (the prerender's copies of it, each for some screens). */
  html: string;
  /** Its height in pixels, the live chart's: nothing below moves when that takes over. */
  height: number;
  /** Its description (the aria-label the live chart would give it). */
  label: string;
}

/** A figure's drawn charts by name (a chart's data-testid without "-chart"). */
export type PrerenderedCharts = Record<string, PrerenderedChart>;
/** Drawn charts by story section id. */
export type PrerenderedFigures = Record<string, PrerenderedCharts>;

const Context = createContext<{ section: string; charts: PrerenderedCharts } | null>(null);

/** Gives the charts inside it the drawn copies of `section`'s figure (none: nothing drawn). */
export function PrerenderedProvider({
  section,
  charts,
  children,
}: {
  section: string;
  charts: PrerenderedCharts;
  children?: React.ReactNode;
}) {
  const value = useMemo(() => ({ section, charts }), [section, charts]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/**
 * The props of chart `name`'s <svg>: its drawn copy where the build drew one, else none (the live
 * chart draws into an empty <svg>).
 */
export function usePrerendered(name: string): SVGProps<SVGSVGElement> {
  const drawn = useContext(Context);
  const chart = drawn?.charts[name];
  if (!drawn || !chart) return {};
  return {
    [PRERENDERED_ATTRIBUTE]: `${drawn.section} ${name}`,
    height: chart.height,
    'aria-label': chart.label,
    dangerouslySetInnerHTML: { __html: chart.html },
  } as SVGProps<SVGSVGElement>;
}

/** The drawn charts in a page the build prerendered, read back for hydration. */
export function readPrerendered(root: ParentNode): PrerenderedFigures {
  const out: PrerenderedFigures = {};
  for (const svg of Array.from(root.querySelectorAll(`svg[${PRERENDERED_ATTRIBUTE}]`))) {
    const [section, name] = (svg.getAttribute(PRERENDERED_ATTRIBUTE) ?? '').split(' ');
    if (!section || !name) continue;
    out[section] ??= {};
    out[section][name] = {
      html: svg.innerHTML,
      height: Number(svg.getAttribute('height')),
      label: svg.getAttribute('aria-label') ?? '',
    };
  }
  return out;
}
