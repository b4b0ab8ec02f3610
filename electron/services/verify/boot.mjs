// Worker bootstrap for TypeScript entries: registers tsx's loader in this worker thread (a
// worker does not inherit the parent's loader hooks, and `--import tsx` in execArgv registers
// them too late for the entry itself), then imports the entry named in workerData.__entry.
// Used under `npx tsx` and under vitest; a build that compiles the workers to .js spawns them
// directly instead (see workers.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
