// The simulation worker: runs a recipe's generation loop off the main thread and streams its
// generations to the page (api.ts). The model's family loads on first use (the Gaussian
// needs no tfjs).
import { expose, transfer } from 'comlink';
import type { RunEvent } from '../job/protocol';
import { FAMILIES } from '../models/registry';
import { createWorkerApi } from './api';

expose(createWorkerApi({ transfer: (event, buffers) => transfer(event, buffers) as RunEvent }));
// The first screen's model (the Gaussian) loads while the worker waits for its first request.
void FAMILIES.gaussian1d();
