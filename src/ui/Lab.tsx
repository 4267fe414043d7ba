// The lab page: the app's controls and every figure, driven by the address (state/controller.ts).
import { startController } from '../state/controller';

export { App as Lab } from './App';

let started = false;
/** Wires the lab's store to the address and the workers, once. */
export function startLab(): void {
  if (started) return;
  started = true;
  startController();
}
