// Choosing and keeping a tfjs backend for a run: the ladder for this environment, a probe of the
// run's own workload, the badge text, and a watch on WebGPU's device for loss.
import * as tf from '@tensorflow/tfjs';
import { type InjectedFault, noteLost, registerTfjs } from './faults';
import { type BackendChoice, type BackendName, chooseBackend, verifyBackend } from './ladder';
import { availableBackends, backendsToSkip, loadBackend } from './load';

// In Node (the CLI, the bench, tests) tfjs's cpu backend prints a banner on stderr asking for
// tfjs-node, which cannot install here; the CLI's stderr carries only its own warnings.
if (tf.env().get('IS_NODE')) tf.env().set('PROD', true);

let cached: { key: string; choice: BackendChoice } | null = null;

/** The active backend's GPU handles, where it has them (for loss watches and test faults). */
function gpuHandles(): {
  device?: GPUDeviceLike;
  gl?: WebGLRenderingContext | WebGL2RenderingContext;
} {
  const b = tf.backend() as unknown as {
    device?: GPUDeviceLike;
    gpgpu?: { gl?: WebGLRenderingContext | WebGL2RenderingContext };
  };
  return { device: b.device, gl: b.gpgpu?.gl };
}
interface GPUDeviceLike {
  lost?: Promise<{ message?: string; reason?: string }>;
  destroy?(): void;
}

// The worker reports backend faults (faults.ts): how to read the backend, how a test breaks it.
registerTfjs(
  () => (tf.engine().backendName ? tf.getBackend() : null),
  (fault: InjectedFault) => {
    const { device, gl } = gpuHandles();
    if (fault === 'lose-device') {
      if (!device?.destroy) return `no WebGPU device (backend ${tf.getBackend()})`;
      device.destroy();
      return 'WebGPU device destroyed';
    }
    const ext = gl?.getExtension('WEBGL_lose_context');
    if (!ext) return `no WebGL context (backend ${tf.getBackend()})`;
    ext.loseContext();
    return 'WebGL context lost';
  },
);

/** Watches the active backend for loss (WebGPU's device, WebGL's context): the run then stops. */
function watchActiveBackend(): void {
  // The loss is charged to the backend watched, even if a model has moved down a rung since.
  const name = tf.getBackend();
  watchDeviceLoss((why) => noteLost(why, name));
  const gl = gpuHandles().gl;
  if (!gl) return;
  const lostContext = () => noteLost('WebGL context lost', name);
  (gl.canvas as EventTarget | undefined)?.addEventListener?.('webglcontextlost', lostContext);
  // A lost context may fire no event in a worker, and its reads then never finish: poll it too.
  const timer = setInterval(() => {
    if (!gl.isContextLost()) return;
    clearInterval(timer);
    lostContext();
  }, 500);
}

/**
 * Chooses the backend for a run. The choice is kept for later runs of the same kind of workload
 * (`key`), so moving a slider does not probe every backend again.
 */
export async function setUpTfjs(
  override: string | null,
  key: string,
  probe?: () => Promise<void>,
): Promise<BackendChoice> {
  const fullKey = `${override ?? ''}|${key}`;
  if (cached?.key === fullKey && (await activateBackend(cached.choice.name))) return cached.choice;
  const choice = await chooseBackend({
    candidates: availableBackends(),
    load: loadBackend,
    override,
    probe,
    skip: await backendsToSkip(),
  });
  cached = { key: fullKey, choice };
  watchActiveBackend();
  return choice;
}

/** Switches to `name` (loading it if needed) and checks it computes correctly. */
export async function activateBackend(name: BackendName): Promise<boolean> {
  try {
    await loadBackend(name);
    if (!(await tf.setBackend(name))) return false;
    await verifyBackend();
    return true;
  } catch {
    return false;
  }
}

/** Backends below `name` on this environment's ladder, best first. */
export function ladderBelow(name: BackendName): BackendName[] {
  const ladder = availableBackends();
  return ladder.slice(ladder.indexOf(name) + 1);
}

/** Calls `onLost` if the WebGPU device behind the active backend is lost. */
export function watchDeviceLoss(onLost: (why: string) => void): void {
  if (tf.getBackend() !== 'webgpu') return;
  const device = (
    tf.backend() as unknown as {
      device?: { lost?: Promise<{ message?: string; reason?: string }> };
    }
  ).device;
  void device?.lost?.then((info) =>
    onLost(`GPU device lost${info?.message ? `: ${info.message}` : ''}`),
  );
}

/** The backend tfjs is actually using now (what the badge reports). */
export function activeBackend(): BackendName {
  return tf.getBackend() as BackendName;
}
