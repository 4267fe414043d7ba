// Every model's view and article note, by model name (one line per model). The first screen's view
// (the Gaussian) is bundled with the page; the others load with their first use.
import { type ComponentType, lazy } from 'react';
import type { Model } from '../../core/recipe';
import { GaussianNotes, GaussianView } from './GaussianView';

export interface ModelView {
  View: ComponentType;
  Notes: ComponentType;
}

function lazyView<M>(load: () => Promise<M>, pick: (m: M) => ModelView): ModelView {
  return {
    View: lazy(() => load().then((m) => ({ default: pick(m).View }))),
    Notes: lazy(() => load().then((m) => ({ default: pick(m).Notes }))),
  };
}

export const VIEWS: Record<Model, ModelView> = {
  gaussian1d: { View: GaussianView, Notes: GaussianNotes },
  gmm: lazyView(
    () => import('./GmmView'),
    (m) => ({ View: m.GmmView, Notes: m.GmmNotes }),
  ),
  vae: lazyView(
    () => import('./VaeView'),
    (m) => ({ View: m.VaeView, Notes: m.VaeNotes }),
  ),
  diffusion: lazyView(
    () => import('./DiffusionView'),
    (m) => ({ View: m.DiffusionView, Notes: m.DiffusionNotes }),
  ),
};
