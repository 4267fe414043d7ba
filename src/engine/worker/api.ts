// What a simulation worker does, apart from how it is reached (simulation.worker.ts exposes it with
// comlink; tests call it in-process as a fake worker). Every request is checked first
// (engine/job/messages.ts): a malformed one ends as an error naming its field and runs nothing.

import { backendFault, type InjectedFault, injectFault, onLost, takeLost } from '../backend/faults';
import { BackendLost, type JobContext, RunCancelled } from '../job/context';
import { checkRunRequest } from '../job/messages';
import type { RunEnd, RunEvent, SimulationApi } from '../job/protocol';
import { runRecipe } from '../job/run';
import { fetchData } from './dataFiles';

export interface WorkerApiOptions {
  /** Wraps an event and its buffers for posting (comlink's transfer in a worker). */
  transfer?: (event: RunEvent, buffers: Transferable[]) => RunEvent;
  yieldNow?: () => Promise<void>;
  loadData?: JobContext['loadData'];
}

const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createWorkerApi(o: WorkerApiOptions = {}): SimulationApi {
  let currentJob = -1;
  const transfer = o.transfer ?? ((event) => event);
  return {
    async run(jobId, recipe, options, onEvent): Promise<RunEnd> {
      const start = performance.now();
      let computeMs = 0;
      const end = (id: number, status: RunEnd['status'], error?: string): RunEnd => ({
        jobId: id,
        status,
        elapsedMs: performance.now() - start,
        computeMs,
        ...(error === undefined ? {} : { error }),
      });
      const request = checkRunRequest(jobId, recipe, options);
      if (!request.ok || typeof onEvent !== 'function') {
        const why = request.ok ? 'onEvent: expected a function' : request.error;
        return end(
          Number.isInteger(jobId) ? jobId : -1,
          'error',
          `refused a malformed run: ${why}`,
        );
      }
      const { from = 0, chains, backend } = request.value.options;
      currentJob = jobId;
      const ctx: JobContext = {
        emit: (event, buffers = []) => {
          // A replay does not repeat the notices of generations the page already has.
          if (event.type === 'notice' && event.notice.generation < from) return;
          onEvent(jobId, transfer(event, buffers));
        },
        cancelled: () => currentJob !== jobId,
        yieldNow: o.yieldNow ?? yieldToMessages,
        addComputeMs: (ms) => {
          computeMs += ms;
        },
        backendOverride: backend ?? null,
        loadData: o.loadData ?? fetchData,
        lostBackend: takeLost,
      };
      // A lost backend ends the run at once: a generation waiting on a dead GPU may never finish
      // (the page replaces this worker).
      let stopWatching = () => {};
      const lost = new Promise<never>((_, reject) => {
        stopWatching = onLost((fault) => {
          takeLost();
          reject(new BackendLost(fault));
        });
      });
      try {
        await Promise.race([runRecipe(request.value.recipe, ctx, chains, from), lost]);
        return end(jobId, ctx.cancelled() ? 'cancelled' : 'done');
      } catch (e) {
        if (e instanceof RunCancelled || ctx.cancelled()) return end(jobId, 'cancelled');
        const fault = backendFault(e);
        const failed = end(jobId, 'error', e instanceof Error ? e.message : String(e));
        return fault ? { ...failed, backendFault: fault } : failed;
      } finally {
        stopWatching();
      }
    },
    cancel(jobId: number) {
      if (currentJob === jobId) currentJob = -1;
    },
    ping: () => Date.now(),
    // Test pages only (`?test`): breaks this worker's tfjs backend as a failing GPU would.
    injectFault: (fault: InjectedFault) => injectFault(fault),
  };
}
