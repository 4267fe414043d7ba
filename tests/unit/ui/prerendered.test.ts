// @vitest-environment jsdom
// The story the build prerenders (src/ui/story/prerender.tsx): its opening chart drawn at
// generation 0, read back from the page for hydration (src/ui/prerendered.tsx), and hydrated by
// React without a mismatch (a mismatch would make React throw the build's page away).
import { act, createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { PrerenderedProvider, readPrerendered, usePrerendered } from '../../../src/ui/prerendered';
import { Root } from '../../../src/ui/Root';
import { PRERENDER_WIDTHS, prerenderStory } from '../../../src/ui/story/prerender';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

beforeAll(() => {
  // jsdom has no layout: the story's figures observe the screen and their size.
  class Observer {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.assign(globalThis, { IntersectionObserver: Observer, ResizeObserver: Observer });
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    addEventListener() {},
    removeEventListener() {},
  })) as never;
});

const chart = { html: '<g><path d="M0,0L1,1"></path></g>', height: 5, label: 'drawn' };

function Drawn({ name }: { name: string }) {
  return createElement('svg', { role: 'img', ...usePrerendered(name) });
}

describe('a prerendered chart', () => {
  it('renders as its drawn markup and reads back as it was given', () => {
    const html = renderToString(
      createElement(
        PrerenderedProvider,
        { section: 'opening', charts: { density: chart } },
        createElement(Drawn, { name: 'density' }),
        createElement(Drawn, { name: 'other' }),
      ),
    );
    const root = document.createElement('div');
    root.innerHTML = html;
    expect(readPrerendered(root)).toEqual({ opening: { density: chart } });
    // A chart the build did not draw is an empty <svg>, as without a provider.
    const svgs = root.querySelectorAll('svg');
    expect(svgs[1].outerHTML).toBe('<svg role="img"></svg>');
    expect(svgs[0].getAttribute('height')).toBe('5');
  });
});

describe('the prerendered story', () => {
  let html = '';
  beforeAll(async () => {
    html = await prerenderStory();
  });

  it('draws the opening chart, and only it, at generation 0', () => {
    const root = document.createElement('div');
    root.innerHTML = html;
    const drawn = readPrerendered(root);
    expect(Object.keys(drawn)).toEqual(['opening']);
    const { density } = drawn.opening;
    expect(density.height).toBe(300);
    // One copy per screen width, each at its width.
    const copies = Array.from(root.querySelectorAll('svg[data-prerendered] > svg'));
    expect(copies.map((c) => [c.getAttribute('class'), c.getAttribute('viewBox')])).toEqual(
      Object.entries(PRERENDER_WIDTHS).map(([name, w]) => [`prerendered-${name}`, `0 0 ${w} 300`]),
    );
    expect(density.label).toMatch(/At generation 0: mean -?\d\.\d+, standard deviation \d\.\d+\./);
    const svg = root.querySelector('svg[data-prerendered]') as SVGSVGElement;
    const paths = Array.from(svg.querySelectorAll('path')).map((p) => p.getAttribute('d') ?? '');
    expect(paths.length).toBeGreaterThan(3 * copies.length);
    expect(paths.filter((d) => d === '' || /NaN|Infinity/.test(d))).toEqual([]);
    // The rest of the story waits for the reader, as in the tab.
    expect(root.querySelectorAll('svg:not(svg svg)').length).toBe(1);
  });

  it('hydrates without a mismatch and keeps the build’s nodes', async () => {
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    const heading = container.querySelector('h1');
    const svg = container.querySelector('svg[data-prerendered]');
    const errors: unknown[] = [];
    await act(async () => {
      hydrateRoot(
        container,
        createElement(Root, { initialRoute: 'story', prerendered: readPrerendered(container) }),
        { onRecoverableError: (e) => errors.push(e) },
      );
    });
    expect(errors).toEqual([]);
    expect(container.querySelector('h1')).toBe(heading);
    // No run has data yet (no worker here): the drawn chart stays as the build drew it.
    expect(container.querySelector('svg[data-prerendered]')).toBe(svg);
    container.remove();
  });
});
