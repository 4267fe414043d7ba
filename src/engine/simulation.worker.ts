// The simulation worker: runs a recipe's generation loop off the main thread and streams its
// generations to the page (workerApi.ts). The model's family loads on first use (the Gaussian
// needs no tfjs).
import { expose, transfer } from 'comlink';
import { FAMILIES } from './families';
import type { RunEvent } from './protocol';
import { createWorkerApi } from './workerApi';

expose(createWorkerApi({ transfer: (event, buffers) => transfer(event, buffers) as RunEvent }));
// The first screen's model (the Gaussian) loads while the worker waits for its first request.
void FAMILIES.gaussian1d();
