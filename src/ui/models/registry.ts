// Every model's view, article note and lede, by model name (one line per model). The first
// screen's view (the Gaussian) is bundled with the page; the others, and every comparison, load
// with their first use (the story and the lab's first screen need no comparison code).
import { type ComponentType, createElement, lazy } from 'react';
import type { Model } from '../../core/recipe';
import type { MetricSpec } from '../MetricFigure';
import {
  GAUSSIAN_FIGURES,
  GaussianLede,
  GaussianNotes,
  GaussianView,
} from './gaussian1d/GaussianView';

export interface ModelView {
  View: ComponentType;
  Notes: ComponentType;
  /**
   * The lab's introduction under its title while the model's tab is open: what the tab does, as
   * text for a paragraph. Lazy with the view (Lab.tsx shows a neutral line until it loads).
   */
  Lede: ComponentType;
  /** A lockstep comparison of the model's variants (ComparisonView over its metrics). */
  Compare: ComponentType;
}

interface ViewModule {
  View: ComponentType;
  Notes: ComponentType;
  Lede: ComponentType;
  /** The metrics a comparison draws, with their titles and scales (default: all, plain). */
  metrics?: MetricSpec[];
}

/** The comparison view over `metrics` (the model's, or by default every metric of its spec). */
const compareOver = (model: Model, metrics: () => Promise<MetricSpec[] | undefined>) =>
  lazy(async () => {
    const [{ ComparisonView, defaultMetricSpecs }, specs] = await Promise.all([
      import('../ComparisonView'),
      metrics(),
    ]);
    const chosen = specs ?? defaultMetricSpecs(model);
    return { default: () => createElement(ComparisonView, { specs: chosen }) };
  });

function lazyView<M>(model: Model, load: () => Promise<M>, pick: (m: M) => ViewModule): ModelView {
  return {
    View: lazy(() => load().then((m) => ({ default: pick(m).View }))),
    Notes: lazy(() => load().then((m) => ({ default: pick(m).Notes }))),
    Lede: lazy(() => load().then((m) => ({ default: pick(m).Lede }))),
    Compare: compareOver(model, () => load().then((m) => pick(m).metrics)),
  };
}

export const VIEWS: Record<Model, ModelView> = {
  gaussian1d: {
    View: GaussianView,
    Notes: GaussianNotes,
    Lede: GaussianLede,
    Compare: compareOver('gaussian1d', async () => GAUSSIAN_FIGURES),
  },
  gmm: lazyView(
    'gmm',
    () => import('./gmm/GmmView'),
    (m) => ({ View: m.GmmView, Notes: m.GmmNotes, Lede: m.GmmLede, metrics: m.GMM_FIGURES }),
  ),
  vae: lazyView(
    'vae',
    () => import('./vae/VaeView'),
    (m) => ({ View: m.VaeView, Notes: m.VaeNotes, Lede: m.VaeLede, metrics: m.VAE_FIGURES }),
  ),
  diffusion: lazyView(
    'diffusion',
    () => import('./diffusion/DiffusionView'),
    (m) => ({
      View: m.DiffusionView,
      Notes: m.DiffusionNotes,
      Lede: m.DiffusionLede,
      metrics: m.DIFFUSION_FIGURES,
    }),
  ),
  ngram: lazyView(
    'ngram',
    () => import('./ngram/NgramView'),
    (m) => ({
      View: m.NgramView,
      Notes: m.NgramNotes,
      Lede: m.NgramLede,
      metrics: m.NGRAM_FIGURES,
    }),
  ),
  transformer: lazyView(
    'transformer',
    () => import('./transformer/TransformerView'),
    (m) => ({
      View: m.TransformerView,
      Notes: m.TransformerNotes,
      Lede: m.TransformerLede,
      metrics: m.TRANSFORMER_FIGURES,
    }),
  ),
};
