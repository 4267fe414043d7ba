// Training progress in words (the worker sends it as data).
import type { Progress } from '../engine/job/protocol';

export function progressLabel(p: Progress | null): string {
  if (!p) return 'Starting…';
  if (p.phase === 'loading') return 'Loading the data…';
  if (p.phase === 'backend') return 'Choosing a tfjs backend…';
  const chain = p.chains > 1 ? ` · chain ${p.chain + 1} of ${p.chains}` : '';
  const head = `Generation ${p.generation} of ${p.generations}${chain}`;
  if (p.phase === 'measuring') return `${head} · sampling and measuring`;
  return `${head} · epoch ${p.epoch}/${p.epochs} · step ${p.step}/${p.steps}`;
}

export function fmtDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
