// Build time only (vite.config.ts loads it in Node while it writes index.html): the story as HTML,
// with its opening figure drawn at generation 0, so a reader sees the page and its first chart
// before any JavaScript has run. Generation 0 is computed here by the same seeded loop the tab
// runs (the tab's run arrives at the same numbers and takes over, ui/prerendered.tsx); the page
// hydrates this tree (src/app.tsx).
import { JSDOM } from 'jsdom';
import { renderToString } from 'react-dom/server';
import { simulate } from '../../core/generation/loop';
import { nodeJob } from '../../engine/job/nodeJob';
import { prepareFamily } from '../../engine/models/registry';
import { createAppStore } from '../../state/store';
import { DENSITY_CHART } from '../models/gaussian1d/GaussianView';
import type { PrerenderedChart } from '../prerendered';
import { Root } from '../Root';
import { routeOf } from '../route';
import { OPENING } from './sections';

/**
 * The widths the opening chart is drawn at, one copy each, and the screens each copy is for: its
 * container's width on a phone, a tablet and a desktop (the figure column of story.css). On a
 * screen between them the copy scales to its container (by at most a third) until the live chart
 * redraws it; story.css shows the copy for the screen (.prerendered-<name>).
 */
export const PRERENDER_WIDTHS = { narrow: 320, medium: 620, wide: 820 } as const;

/** The opening figure's store after generation 0, as the tab's store has it when it arrives. */
async function openingAtGenerationZero() {
  const { recipe } = OPENING;
  const store = createAppStore(recipe);
  const runId = store.getState().startRun();
  const family = await prepareFamily(recipe, nodeJob());
  try {
    for await (const g of simulate(recipe, family)) {
      store.getState().appendResults(runId, [g]);
      break;
    }
  } finally {
    family.dispose?.();
  }
  store.getState().setCursor(0);
  return store.getState();
}

/** The opening's density chart drawn by its own factory into a DOM of jsdom's, once per width. */
async function drawOpeningChart(): Promise<PrerenderedChart> {
  const state = await openingAtGenerationZero();
  const { create, select, describe, height } = DENSITY_CHART;
  const data = select(state);
  if (!data) throw new Error('prerender: generation 0 of the opening figure has no density');
  const { document } = new JSDOM('<!doctype html><body></body>').window;
  const copies = Object.entries(PRERENDER_WIDTHS).map(([name, width]) => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    document.body.append(svg);
    const chart = create(svg as unknown as SVGSVGElement);
    chart.resize(width, height);
    chart.update(data);
    const copy = `<svg class="prerendered-${name}" viewBox="0 0 ${width} ${height}" width="100%" height="100%">${svg.innerHTML}</svg>`;
    chart.destroy();
    return copy;
  });
  return { html: copies.join(''), height, label: describe(state) };
}

/**
 * A script for the page's head: it names the page the address asks for (`<html data-route>`)
 * before anything is drawn, so a link into the lab or classroom mode never shows the prerendered
 * story (styles.css hides it). It is ui/route.ts's own function, written out.
 */
export const ROUTE_SCRIPT = `document.documentElement.dataset.route=(${routeOf.toString()})(location.search,location.hash);`;

/** The story's markup for index.html's root element. */
export async function prerenderStory(): Promise<string> {
  const prerendered = { [OPENING.id]: { density: await drawOpeningChart() } };
  // renderToString, not react-dom/static: that outlines a large boundary (the drawn chart) into
  // an inline script that would run before React, which the page's policy rightly refuses. Nothing
  // in the story's first screen suspends.
  const html = renderToString(<Root initialRoute="story" prerendered={prerendered} />);
  if (html.includes('<!--$!-->')) throw new Error('prerender: a part of the story suspended');
  return html;
}
