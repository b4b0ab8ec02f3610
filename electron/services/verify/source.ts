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
    async *iterate(from, to) {
      try {
        for await (const r of store.iterate(from, to)) yield { height: r.height, payloads: r.payloads as HeightPayloads };
      } catch (e) {
        throw fromStoreError(e);
      }
    },
    async get(height) {
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
    },
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
