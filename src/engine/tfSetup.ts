// Choosing and keeping a tfjs backend for a run: the ladder for this environment, a probe of the
// run's own workload, the badge text, and a watch on WebGPU's device for loss.
import * as tf from '@tensorflow/tfjs';
import { type BackendChoice, type BackendName, chooseBackend, verifyBackend } from './backend';
import { availableBackends, backendsToSkip, loadBackend } from './tfBackends';

// In Node (the CLI, the bench, tests) tfjs's cpu backend prints a banner on stderr asking for
// tfjs-node, which cannot install here; the CLI's stderr carries only its own warnings.
if (tf.env().get('IS_NODE')) tf.env().set('PROD', true);

let cached: { key: string; choice: BackendChoice } | null = null;

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
