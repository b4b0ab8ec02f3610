// A transaction's ABCI events, read from the store on demand (the index does not copy them).
import { decodeBlockResults } from '../../../shared/cometbft/decode-state';
import type { ReplicaStore } from '../store';

/** The events of the transaction at (height, index) as /block_results printed them; null when not stored. */
export async function txEvents(store: Pick<ReplicaStore, 'get'>, height: number, index: number): Promise<unknown[] | null> {
  const bytes = await store.get('block_results', height);
  if (!bytes) return null;
  const r = decodeBlockResults(JSON.parse(new TextDecoder().decode(bytes)));
  return r.txsResults[index]?.events ?? null;
}
