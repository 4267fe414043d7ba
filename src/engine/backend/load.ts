// Where tfjs runs and how each backend is loaded there. In a browser (page or worker) the ladder
// is webgpu → webgl → wasm → cpu, limited to what the environment offers; in Node it is
// wasm → cpu. Backend modules load only when first asked for, so the first screen needs no tfjs.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './ladder';

const inBrowser = typeof navigator !== 'undefined' && typeof process === 'undefined';

/** The ladder this environment can try, best first. */
export function availableBackends(): BackendName[] {
  if (!inBrowser) return ['wasm', 'cpu'];
  const ladder: BackendName[] = [];
  if ('gpu' in navigator) ladder.push('webgpu');
  if (typeof OffscreenCanvas !== 'undefined' || typeof document !== 'undefined')
    ladder.push('webgl');
  ladder.push('wasm', 'cpu');
  return ladder;
}

/**
 * Backends to leave out of the race, with why: a WebGPU adapter that is software-emulated (a
 * "fallback adapter", e.g. SwiftShader) is far slower than wasm on the same CPU.
 */
export async function backendsToSkip(): Promise<Partial<Record<BackendName, string>>> {
  if (!inBrowser || !('gpu' in navigator)) return {};
  try {
    const gpu = (navigator as Navigator & { gpu: { requestAdapter(): Promise<unknown> } }).gpu;
    const adapter = (await gpu.requestAdapter()) as {
      info?: { isFallbackAdapter?: boolean; architecture?: string };
    } | null;
    if (!adapter) return { webgpu: 'no WebGPU adapter' };
    if (adapter.info?.isFallbackAdapter) {
      return {
        webgpu: `WebGPU runs in software here (${adapter.info.architecture || 'fallback adapter'})`,
      };
    }
  } catch {
    return { webgpu: 'no WebGPU adapter' };
  }
  return {};
}

let wasmConfigured = false;

export async function loadBackend(name: BackendName): Promise<void> {
  if (name === 'webgpu') {
    await import('@tensorflow/tfjs-backend-webgpu');
  } else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (inBrowser && !wasmConfigured) {
      // Vite does not copy the .wasm binaries by itself: import their URLs and hand them over.
      const [plain, simd, threaded] = await Promise.all([
        import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
        import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
        import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
      ]);
      wasm.setWasmPaths({
        'tfjs-backend-wasm.wasm': plain.default,
        'tfjs-backend-wasm-simd.wasm': simd.default,
        'tfjs-backend-wasm-threaded-simd.wasm': threaded.default,
      });
      wasmConfigured = true;
    }
  }
  // webgl and cpu come with @tensorflow/tfjs itself.
  if (!tf.findBackendFactory(name)) throw new Error(`${name} backend is not registered`);
}
