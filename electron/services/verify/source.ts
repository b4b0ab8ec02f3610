// Where the verifier reads a replica from: the append-only store (electron/services/store), or
// anything else with the same shape (tests, an imported bundle).
import { describeDamage, openStore, StoreCorruptionError, type ReplicaStore } from '../store';
import type { HeightPayloads } from '../../../shared/verify';

export interface HeightRecord {
  height: number;
  payloads: HeightPayloads;
}

export interface ReplicaBounds {
  lowest: number;
  highest: number;
  /** The last height of the run of complete heights that starts at `lowest` (0: none). */
  complete: number;
}

export interface ReplicaSource {
  readonly description: string;
  /** The stored genesis document's bytes (checked against its recorded hash by the store). */
  genesis(): Promise<Uint8Array | undefined>;
  bounds(): ReplicaBounds;
  /** Complete heights in [from, to], ascending; stops with ReplicaReadError on damaged data. */
  iterate(from: number, to: number): AsyncIterable<HeightRecord>;
  get(height: number): Promise<HeightRecord | undefined>;
  close(): Promise<void>;
}

/** Stored bytes that cannot be read back intact, with where they are. */
export class ReplicaReadError extends Error {
  override name = 'ReplicaReadError';
  constructor(readonly height: number | undefined, message: string) {
    super(message);
  }
}

function fromStoreError(e: unknown): unknown {
  if (e instanceof StoreCorruptionError) return new ReplicaReadError(e.location.height, describeDamage(e.location));
  return e;
}

const KINDS = ['block', 'commit', 'validators', 'block_results'] as const;

export function storeSource(store: ReplicaStore): ReplicaSource {
  const read = async (height: number): Promise<HeightRecord | undefined> => {
    try {
      const payloads: Partial<HeightPayloads> = {};
      for (const k of KINDS) {
        const p = await store.get(k, height);
        if (!p) return undefined;
        payloads[k] = p;
      }
      return { height, payloads: payloads as HeightPayloads };
    } catch (e) {
      throw fromStoreError(e);
    }
  };
  return {
    description: `replica store ${store.dir}`,
    genesis: async () => {
      try {
        return await store.getGenesis();
      } catch (e) {
        throw fromStoreError(e);
      }
    },
    bounds: () => {
      const s = store.stats();
      return { lowest: s.lowestHeight, highest: s.highestHeight, complete: s.completeHeight };
    },
    // Each record is read by itself into a buffer of its own size (store.get), not through
    // store.iterate's 1 MiB window and a copy: the buffers then go whole to the prepare workers
    // (run.ts send), and the reading thread makes almost no garbage. V8 frees dead ArrayBuffers
    // only at a GC, which this thread (little JS allocation) has mostly under external memory
    // pressure, i.e. with about 64 MB of them dead: that was its malloc growth.
    async *iterate(from, to) {
      const s = store.stats();
      const hi = Math.min(to, s.highestHeight);
      for (let h = Math.max(from, s.lowestHeight); h <= hi; h++) {
        if (!store.has(h)) continue; // incomplete: skipped, as store.iterate does
        const r = await read(h);
        if (r) yield r;
      }
    },
    get: (height) => read(height),
    close: () => store.close(),
  };
}

/** Opens the store in `dir` read-only (the verifier never writes the replica). */
export async function openStoreSource(dir: string): Promise<ReplicaSource> {
  return storeSource(await openStore(dir, { readOnly: true }));
}

/** A source over payloads held in memory (tests, small imports). */
export function memorySource(genesis: Uint8Array, records: readonly HeightRecord[]): ReplicaSource {
  const byHeight = new Map(records.map((r) => [r.height, r]));
  const heights = [...byHeight.keys()].sort((a, b) => a - b);
  const lowest = heights[0] ?? 0, highest = heights.at(-1) ?? 0;
  let complete = lowest ? lowest - 1 : 0;
  while (byHeight.has(complete + 1)) complete++;
  const copy = (r: HeightRecord): HeightRecord => ({
    height: r.height,
    payloads: {
      block: r.payloads.block.slice(), commit: r.payloads.commit.slice(),
      validators: r.payloads.validators.slice(), block_results: r.payloads.block_results.slice(),
    },
  });
  return {
    description: 'in-memory replica',
    genesis: () => Promise.resolve(genesis),
    bounds: () => ({ lowest, highest, complete: lowest ? complete : 0 }),
    async *iterate(from, to) {
      for (const h of heights) if (h >= from && h <= to) yield copy(byHeight.get(h)!);
    },
    get: (h) => Promise.resolve(byHeight.has(h) ? copy(byHeight.get(h)!) : undefined),
    close: () => Promise.resolve(),
  };
}
