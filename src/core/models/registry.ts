// Every model's spec, by the name recipes use. Adding a model adds one line here (and one in the
// family and view registries).
import { diffusionSpec } from './diffusion/spec';
import { gaussianSpec } from './gaussian1d/spec';
import { gmmSpec } from './gmm/spec';
import { ngramSpec } from './ngram/spec';
import { transformerSpec } from './transformer/spec';
import { vaeSpec } from './vae/spec';

export const MODEL_SPECS = {
  gaussian1d: gaussianSpec,
  gmm: gmmSpec,
  vae: vaeSpec,
  diffusion: diffusionSpec,
  ngram: ngramSpec,
  transformer: transformerSpec,
} as const;

export type Model = keyof typeof MODEL_SPECS;
export const MODELS = Object.keys(MODEL_SPECS) as Model[];
