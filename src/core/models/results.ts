// The typed result of a generation of each model, by name (one line per model), so that views
// and the store read results without casts.
import type { GenerationResult } from '../generation/types';
import type { DiffusionShown } from './diffusion/shown';
import type { DiffusionMetric } from './diffusion/spec';
import type { GaussianShown } from './gaussian1d/family';
import type { GaussianMetric } from './gaussian1d/spec';
import type { GmmShown } from './gmm/family';
import type { GmmMetric } from './gmm/spec';
import type { NgramShown } from './ngram/family';
import type { NgramMetric } from './ngram/spec';
import type { TransformerShown } from './transformer/shown';
import type { TransformerMetric } from './transformer/spec';
import type { VaeShown } from './vae/shown';
import type { VaeMetric } from './vae/spec';

export interface ModelResults {
  gaussian1d: GenerationResult<GaussianMetric, GaussianShown>;
  gmm: GenerationResult<GmmMetric, GmmShown>;
  vae: GenerationResult<VaeMetric, VaeShown>;
  diffusion: GenerationResult<DiffusionMetric, DiffusionShown>;
  ngram: GenerationResult<NgramMetric, NgramShown>;
  transformer: GenerationResult<TransformerMetric, TransformerShown>;
}
