// The backend ladder and the fallback around a failing backend, in Node (cpu and wasm exist here;
// webgpu and webgl do not, which makes them good failing rungs).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import type { GmmModel } from '../../../../src/core/mixture';
import type { GmmFitBatch, GmmFitter } from '../../../../src/core/models/gmm/fitter';
import { type BackendName, chooseBackend } from '../../../../src/engine/backend/ladder';
import { withBackendFallback } from '../../../../src/engine/models/gmm/fitters';

const load = async (name: BackendName) => {
  if (!tf.findBackendFactory(name)) throw new Error(`${name} is not here`);
};

describe('chooseBackend', () => {
  it('walks down the ladder past backends that fail, saying why in the reason', async () => {
    const choice = await chooseBackend({ candidates: ['webgpu', 'webgl', 'wasm', 'cpu'], load });
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.reason).toMatch(/^WebGPU unavailable \(webgpu is not here\) — WebGL unavailable/);
    expect(choice.reason).toContain('using WebAssembly');
    expect(choice.attempts.map((a) => [a.name, a.ok])).toEqual([
      ['webgpu', false],
      ['webgl', false],
      ['wasm', true],
    ]);
  });

  it('obeys an override that works', async () => {
    const choice = await chooseBackend({ candidates: ['wasm', 'cpu'], load, override: 'cpu' });
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.reason).toBe('plain JavaScript, as the link asked');
  });

  it('falls down the ladder from an override that fails', async () => {
    const choice = await chooseBackend({
      candidates: ['webgl', 'wasm', 'cpu'],
      load,
      override: 'webgl',
    });
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toMatch(/^WebGL failed \(webgl is not here\) — using WebAssembly/);
  });

  it('ignores an unknown override, saying so', async () => {
    const choice = await chooseBackend({ candidates: ['wasm', 'cpu'], load, override: 'quantum' });
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toContain('unknown backend "quantum" ignored');
  });

  it('leaves skipped backends out unless the override names them', async () => {
    const skipped = await chooseBackend({
      candidates: ['wasm', 'cpu'],
      load,
      skip: { wasm: 'too slow here' },
    });
    expect(skipped.name).toBe('cpu');
    expect(skipped.reason).toContain('WebAssembly unavailable (too slow here)');
    const forced = await chooseBackend({
      candidates: ['wasm', 'cpu'],
      load,
      skip: { wasm: 'too slow' },
      override: 'wasm',
    });
    expect(forced.name).toBe('wasm');
  });

  it('rejects a backend that loads and switches fine but multiplies matrices wrongly', async () => {
    // A second CPU backend under the name "webgpu" (not loaded in this file, so it has no kernels
    // of its own) whose only kernel, the matrix product, returns zeros: tfjs accepts it, and
    // only verifyBackend's check of the product can reject it.
    expect(tf.findBackendFactory('webgpu')).toBeNull();
    expect(tf.getKernelsForBackend('webgpu')).toEqual([]);
    const cpuFactory = tf.findBackendFactory('cpu');
    if (!cpuFactory) throw new Error('the cpu backend is not registered');
    const zerosMatMul = {
      kernelName: tf.BatchMatMul,
      backendName: 'webgpu',
      kernelFunc: ({ inputs, backend }) => {
        const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        const shape = [a.shape[0], b.shape[1]];
        const cpu = backend as unknown as {
          makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
        };
        return cpu.makeTensorInfo(shape, 'float32', new Float32Array(shape[0] * shape[1]));
      },
    } satisfies tf.KernelConfig;
    const loaded: BackendName[] = [];
    try {
      const choice = await chooseBackend({
        candidates: ['webgpu', 'cpu'],
        load: async (name) => {
          loaded.push(name);
          if (name === 'webgpu' && !tf.findBackendFactory('webgpu')) {
            tf.registerBackend('webgpu', cpuFactory);
            tf.registerKernel(zerosMatMul);
          }
        },
      });
      expect(loaded).toEqual(['webgpu', 'cpu']);
      expect(choice.name).toBe('cpu');
      expect(choice.attempts[0]).toEqual({
        name: 'webgpu',
        ok: false,
        error: 'computed 0,0,0,0 instead of 19,22,43,50',
      });
      expect(choice.reason).toMatch(/^WebGPU unavailable \(computed 0,0,0,0 instead of/);
    } finally {
      if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
      tf.unregisterKernel(tf.BatchMatMul, 'webgpu');
    }
    expect(tf.getBackend()).toBe('cpu');
  });
});

const model = (tag: number): GmmModel => ({
  k: 1,
  d: 1,
  weights: Float64Array.of(1),
  means: Float64Array.of(tag),
  covariances: Float64Array.of(1),
});
const batch = {
  data: [new Float64Array(4)],
  n: 4,
  d: 1,
  k: 1,
  tol: 1e-3,
  maxIter: 10,
  regCovar: 1e-6,
  seeds: [1],
} as GmmFitBatch;

describe('withBackendFallback', () => {
  it('moves to the next backend when a fit fails and fits the same generation again', async () => {
    let calls = 0;
    const inner: GmmFitter = {
      async fit() {
        calls++;
        if (calls === 1) throw new Error('device lost');
        return [model(calls)];
      },
    };
    const switched: string[] = [];
    const fitter = withBackendFallback(inner, {
      ladder: ['webgl', 'cpu'],
      activate: async (name) => name === 'cpu',
      onFallback: (to, reason) => switched.push(`${to}: ${reason}`),
    });
    const out = await fitter.fit(batch);
    expect(out[0].means[0]).toBe(2);
    expect(switched).toHaveLength(1);
    expect(switched[0]).toMatch(
      /^cpu: .* failed \(device lost\) — continuing on plain JavaScript$/,
    );
  });

  it('switches before the next fit when the device is reported lost', async () => {
    const inner: GmmFitter = { fit: async () => [model(1)] };
    const switched: string[] = [];
    const fitter = withBackendFallback(inner, {
      ladder: ['cpu'],
      activate: async () => true,
      onFallback: (to) => switched.push(to),
    });
    fitter.markLost('GPU device lost');
    await fitter.fit(batch);
    expect(switched).toEqual(['cpu']);
  });

  it('gives up with a clear error when no backend is left', async () => {
    const inner: GmmFitter = {
      fit: async () => {
        throw new Error('boom');
      },
    };
    const fitter = withBackendFallback(inner, {
      ladder: [],
      activate: async () => true,
      onFallback: () => {},
    });
    await expect(fitter.fit(batch)).rejects.toThrow(/failed \(boom\) and no other backend works/);
  });
});
