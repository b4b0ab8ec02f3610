// Starting the verifier's worker threads. Compiled .js entries are started directly: the
// Electron build (vite.main.config.ts) emits prepare-worker.js and chain-worker.js beside its
// chunks, so bundled code (whose import.meta.url is its chunk, a .js file) needs no tsx at run
// time. TypeScript entries (the CLI under tsx, vitest) are bundled once per process with
// esbuild (tsx's own dependency) into one ES module each, started from a data: URL: no loader
// hooks thread per worker, no per-worker transpiling (about 0.2 s and 20 MB per worker instead
// of 1.5 s and 40 MB). Without esbuild they go through boot.mjs, which registers tsx.
// The relative URLs are held in variables on purpose: Vite rewrites `new URL('literal',
// import.meta.url)` into an emitted asset and `new Worker(new URL(...))` into a web worker.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerName = 'prepare-worker' | 'chain-worker';

const BOOT = './boot.mjs';
const ESBUILD = 'esbuild';

/** The entry of a worker next to this file, in whatever form this file runs (.ts or .js). */
export function workerEntry(name: WorkerName): URL {
  const file = `./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`;
  return new URL(file, import.meta.url);
}

interface EsbuildLike {
  build(o: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

const bundles = new Map<string, Promise<URL | null>>();

/** The TypeScript entry bundled into one ES module (a data: URL), or null when esbuild is not there. */
function bundled(entry: URL): Promise<URL | null> {
  let b = bundles.get(entry.href);
  if (!b) {
    b = (async () => {
      let esbuild: EsbuildLike;
      try {
        esbuild = (await import(ESBUILD)) as EsbuildLike;
      } catch {
        return null;
      }
      const r = await esbuild.build({
        entryPoints: [fileURLToPath(entry)], bundle: true, format: 'esm', platform: 'node', target: `node${process.versions.node.split('.')[0]}`,
        write: false, logLevel: 'silent',
      });
      return new URL(`data:text/javascript;base64,${Buffer.from(r.outputFiles[0]!.text).toString('base64')}`);
    })();
    bundles.set(entry.href, b);
  }
  return b;
}

/**
 * The young generation each verify thread gets, at most (V8's own bound grows with the heap
 * limit, to 32 MB and more): one this size is reached within the first heights, so the
 * thread's memory stays flat with the chain's length. Their objects live for one height.
 */
export const YOUNG_GENERATION_MB = 24;

export async function spawnWorker(entry: URL, workerData: Record<string, unknown> = {}): Promise<Worker> {
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData, resourceLimits });
  const code = await bundled(entry);
  if (code) return new Worker(code, { workerData, resourceLimits });
  const boot = new URL(BOOT, import.meta.url);
  return new Worker(boot, { workerData: { ...workerData, __entry: entry.href }, resourceLimits });
}
