// Spawning the verifier's worker threads. TypeScript entries go through boot.mjs (tsx); compiled
// .js/.mjs entries are started directly. The Electron build (vite.main.config.ts) emits
// prepare-worker.js and chain-worker.js beside its chunks, so bundled code (whose
// import.meta.url is its chunk, a .js file) starts them directly and needs no tsx at run time.
// The relative URLs are held in variables on purpose: Vite rewrites `new URL('literal',
// import.meta.url)` into an emitted asset and `new Worker(new URL(...))` into a web worker.
import { Worker } from 'node:worker_threads';

export type WorkerName = 'prepare-worker' | 'chain-worker';

const BOOT = './boot.mjs';

/** The entry of a worker next to this file, in whatever form this file runs (.ts or .js). */
export function workerEntry(name: WorkerName): URL {
  const file = `./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`;
  return new URL(file, import.meta.url);
}

export function spawnWorker(entry: URL, workerData: Record<string, unknown> = {}): Worker {
  if (entry.pathname.endsWith('.ts')) {
    const boot = new URL(BOOT, import.meta.url);
    return new Worker(boot, { workerData: { ...workerData, __entry: entry.href } });
  }
  return new Worker(entry, { workerData });
}
