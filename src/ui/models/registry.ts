// Every model's view and article note, by model name (one line per model). The first screen's view
// (the Gaussian) is bundled with the page; the others load with their first use.
import { type ComponentType, createElement, lazy } from 'react';
import type { Model } from '../../core/recipe';
import { ComparisonView, defaultMetricSpecs } from '../ComparisonView';
import type { MetricSpec } from '../MetricFigure';
import { GAUSSIAN_FIGURES, GaussianNotes, GaussianView } from './GaussianView';

export interface ModelView {
  View: ComponentType;
  Notes: ComponentType;
  /** A lockstep comparison of the model's variants (ComparisonView over its metrics). */
  Compare: ComponentType;
}

interface ViewModule {
  View: ComponentType;
  Notes: ComponentType;
  /** The metrics a comparison draws, with their titles and scales (default: all, plain). */
  metrics?: MetricSpec[];
}

const compareOver = (metrics: MetricSpec[]) => () =>
  createElement(ComparisonView, { specs: metrics });

function lazyView<M>(model: Model, load: () => Promise<M>, pick: (m: M) => ViewModule): ModelView {
  return {
    View: lazy(() => load().then((m) => ({ default: pick(m).View }))),
    Notes: lazy(() => load().then((m) => ({ default: pick(m).Notes }))),
    Compare: lazy(() =>
      load().then((m) => ({
        default: compareOver(pick(m).metrics ?? defaultMetricSpecs(model)),
      })),
    ),
  };
}

export const VIEWS: Record<Model, ModelView> = {
  gaussian1d: {
    View: GaussianView,
    Notes: GaussianNotes,
    Compare: compareOver(GAUSSIAN_FIGURES),
  },
  gmm: lazyView(
    'gmm',
    () => import('./GmmView'),
    (m) => ({ View: m.GmmView, Notes: m.GmmNotes, metrics: m.GMM_FIGURES }),
  ),
  vae: lazyView(
    'vae',
    () => import('./VaeView'),
    (m) => ({ View: m.VaeView, Notes: m.VaeNotes, metrics: m.VAE_FIGURES }),
  ),
  diffusion: lazyView(
    'diffusion',
    () => import('./DiffusionView'),
    (m) => ({ View: m.DiffusionView, Notes: m.DiffusionNotes, metrics: m.DIFFUSION_FIGURES }),
  ),
  ngram: lazyView(
    'ngram',
    () => import('./NgramView'),
    (m) => ({ View: m.NgramView, Notes: m.NgramNotes, metrics: m.NGRAM_FIGURES }),
  ),
};
