// @vitest-environment jsdom
// The lab's introduction follows the open tab: each model's view module writes its own lede, the
// Gaussian's (the first screen's) is there at once and reads as it always has, and a lazily
// loaded model's tab shows a neutral line until its lede arrives, never another model's words.
import { act, type ComponentType, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECIPES, MODELS, type Model } from '../../../src/core/recipe';
import { type AppStore, createAppStore, StoreProvider } from '../../../src/state/store';
import { LabLede } from '../../../src/ui/Lab';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const GAUSSIAN_LEDE =
  "Fit a bell curve to 100 points, draw 100 new points from the fit, fit again — and repeat. Each refit loses a little of the spread, and the losses compound: the tails go first, then the curve narrows to a spike. Move the slider to decide how much of each generation's training data is synthetic, and watch the collapse speed up, slow down, or stop.";

const LEDES: Record<Model, () => Promise<ComponentType>> = {
  gaussian1d: async () =>
    (await import('../../../src/ui/models/gaussian1d/GaussianView')).GaussianLede,
  gmm: async () => (await import('../../../src/ui/models/gmm/GmmView')).GmmLede,
  vae: async () => (await import('../../../src/ui/models/vae/VaeView')).VaeLede,
  diffusion: async () =>
    (await import('../../../src/ui/models/diffusion/DiffusionView')).DiffusionLede,
  ngram: async () => (await import('../../../src/ui/models/ngram/NgramView')).NgramLede,
  transformer: async () =>
    (await import('../../../src/ui/models/transformer/TransformerView')).TransformerLede,
};

/** Each view module's lede as text. */
const own = {} as Record<Model, string>;

beforeAll(async () => {
  for (const m of MODELS) {
    const host = document.createElement('div');
    host.innerHTML = renderToString(createElement(await LEDES[m]()));
    own[m] = host.textContent ?? '';
  }
});

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
});

function mount(store: AppStore): () => string {
  const host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => root?.render(createElement(StoreProvider, { value: store }, createElement(LabLede))));
  return () => host.querySelector('p.lede')?.textContent ?? '';
}

describe('the lab’s lede', () => {
  it('is each model’s own, and the Gaussian’s is today’s text', () => {
    expect(own.gaussian1d).toBe(GAUSSIAN_LEDE);
    expect(new Set(MODELS.map((m) => own[m])).size).toBe(MODELS.length);
    for (const m of MODELS) expect(own[m].length).toBeGreaterThan(100);
  });

  it('shows the Gaussian’s at once on the first screen', () => {
    expect(mount(createAppStore())()).toBe(GAUSSIAN_LEDE);
  });

  it.each(MODELS.filter((m) => m !== 'gaussian1d'))(
    'follows a switch to the %s tab, with no other model’s words while it loads',
    async (model) => {
      const store = createAppStore();
      const text = mount(store);
      act(() => store.getState().setRecipe(DEFAULT_RECIPES[model]));
      const others = MODELS.filter((m) => m !== model).map((m) => own[m]);
      expect(others).not.toContain(text());
      // The view module arrives (the import is already cached here): the lede follows.
      await act(async () => {
        await LEDES[model]();
        await new Promise((resolve) => setTimeout(resolve, 0));
      });
      expect(text()).toBe(own[model]);
    },
  );
});
