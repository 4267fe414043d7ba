// One whole VAE run in Node, for the CLI (`npm run experiment` with model 'vae'): loads the
// shipped MNIST subset and classifier from public/data, trains on tfjs's wasm backend (plain
// JavaScript cpu if wasm cannot start) and reports the per-generation summaries.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { VaeRecipe } from '../core/recipe';
import type { Summary } from '../core/summary';
import { createClassifier, parseClassifier } from './classifier';
import { type MnistData, parseMnist } from './mnist';
import { simulateVae, type VaeMetric } from './vaeLoop';

export interface VaeExperimentOutput {
  recipe: VaeRecipe;
  backend: string;
  elapsedMs: number;
  generations: {
    generation: number;
    stats: Record<VaeMetric, Summary>;
    classHistogram: number[];
  }[];
}

// Held in a variable: Vite rewrites `new URL('…', import.meta.url)` written inline as an asset.
const here = import.meta.url;
const dataFile = (name: string) => readFileSync(new URL(`../../public/data/${name}`, here));

let cached: { train: MnistData; test: MnistData; manifest: string; weights: Buffer } | null = null;

function loadData() {
  cached ??= {
    train: parseMnist(dataFile('mnist-train.bin')),
    test: parseMnist(dataFile('mnist-test.bin')),
    manifest: dataFile('classifier.json').toString('utf8'),
    weights: dataFile('classifier.bin'),
  };
  return cached;
}

/**
 * Switches to wasm (or cpu when `override` says so), falling back to the other; returns the
 * backend in use.
 */
async function activateNodeBackend(override: string | null): Promise<string> {
  const order = override === 'cpu' ? ['cpu', 'wasm'] : ['wasm', 'cpu'];
  for (const name of order) {
    try {
      if (tf.getBackend() === name || (await tf.setBackend(name))) {
        await tf.ready();
        return name;
      }
    } catch {
      // try the next one
    }
  }
  throw new Error('neither the wasm nor the cpu tfjs backend starts here');
}

/**
 * Runs `recipe` to the end on wasm (or cpu: `override` 'cpu', or wasm failing). Deterministic
 * for a given recipe and backend.
 */
export async function runVaeExperiment(
  recipe: VaeRecipe,
  override: string | null = null,
): Promise<VaeExperimentOutput> {
  const { train, test, manifest, weights } = loadData();
  const backend = await activateNodeBackend(override);
  const start = performance.now();
  const classifier = createClassifier(parseClassifier(manifest, weights));
  const generations: VaeExperimentOutput['generations'] = [];
  try {
    for await (const g of simulateVae(recipe, { train, test, classifier })) {
      generations.push({
        generation: g.generation,
        stats: g.stats,
        classHistogram: g.classHistogram,
      });
    }
  } finally {
    classifier.dispose();
  }
  return {
    recipe,
    backend,
    elapsedMs: Math.round((performance.now() - start) * 10) / 10,
    generations,
  };
}
