// Spawning the verifier's worker threads. TypeScript entries go through boot.mjs (tsx); compiled
// .js/.mjs entries are started directly.
import { Worker } from 'node:worker_threads';

export type WorkerName = 'prepare-worker' | 'chain-worker';

/** The entry of a worker next to this file, in whatever form this file runs (.ts or .js). */
export function workerEntry(name: WorkerName): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, import.meta.url);
}

export function spawnWorker(entry: URL, workerData: Record<string, unknown> = {}): Worker {
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('./boot.mjs', import.meta.url), { workerData: { ...workerData, __entry: entry.href } });
  }
  return new Worker(entry, { workerData });
}
