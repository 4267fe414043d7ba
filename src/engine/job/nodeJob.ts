// A job context for runs in Node (the CLI, the bench, the story's prerender at build time):
// shipped data read from public/data, events recorded instead of posted, never cancelled.
import { readFileSync } from 'node:fs';
import type { JobContext } from './context';
import type { BackendInfo, Notice, Progress } from './protocol';

export interface NodeJob extends JobContext {
  /** The last backend the run reported. */
  backend: BackendInfo | null;
  notices: Notice[];
  progress: Progress[];
}

// Held in a variable: Vite rewrites `new URL('…', import.meta.url)` written inline as an asset.
const here = import.meta.url;

export function readShippedData(name: string): ArrayBuffer {
  const b = readFileSync(new URL(`../../../public/data/${name}`, here));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export function nodeJob(backendOverride: string | null = null): NodeJob {
  const job: NodeJob = {
    backend: null,
    notices: [],
    progress: [],
    emit(event) {
      if (event.type === 'backend') job.backend = event.backend;
      else if (event.type === 'notice') job.notices.push(event.notice);
      else if (event.type === 'progress') job.progress.push(event.progress);
    },
    cancelled: () => false,
    yieldNow: async () => {},
    addComputeMs: () => {},
    backendOverride,
    loadData: async (name) => readShippedData(name),
  };
  return job;
}
