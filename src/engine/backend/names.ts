// The tfjs backend ladder's names, best first, without tfjs itself (the page reads them to move a
// run down the ladder after a backend fault; ladder.ts chooses among them inside a worker).
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript',
};

/** The rung below `name` on the full ladder (null below cpu or for an unknown name). */
export function nextBackend(name: string): BackendName | null {
  const i = (BACKENDS as readonly string[]).indexOf(name);
  return i >= 0 && i < BACKENDS.length - 1 ? BACKENDS[i + 1] : null;
}
