// The trust anchor: the genesis document, fetched once, hashed and compared with the pin.
//
// Which bytes are hashed. The pin is SHA-256 over the genesis document in CometBFT's own
// serialization: the compact JSON of cmtjson.Marshal(GenesisDoc) (rpc/core/env.go
// InitGenesisChunks). That is exactly what genesis_chunked serves (base64-decode the chunks,
// join them), and what /genesis serves as `result.genesis` once insignificant whitespace is
// removed (Go's json.Compact: key order, number spelling and string escapes kept as served).
// Both RPC routes therefore give one hash for one chain, whatever the node's JSON indentation.
// It is not the hash of an operator's genesis.json file (formatting that peers never see).
// To reproduce it without Custos (one-chunk genesis):
//   curl -s "$RPC/genesis_chunked?chunk=0" | jq -r .result.data | base64 -d | sha256sum
// The same bytes are saved as the replica's genesis.json, so its SHA-256 is the pin.

import { createHash } from 'node:crypto';
import { DecodeError, decodeGenesis } from '../../../shared/cometbft/decode';
import type { GenesisDoc } from '../../../shared/cometbft/types';
import type { GenesisResult, RpcClient } from './rpc-client';
import { RpcClientError } from './rpc-errors';

export interface FetchedGenesis {
  bytes: Uint8Array;
  sha256: string;
  doc: GenesisDoc;
  /** Redacted endpoint it came from, and the route. */
  from: string;
  via: GenesisResult['via'];
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Decode canonical genesis bytes (throws DecodeError / SyntaxError). */
export function parseGenesis(bytes: Uint8Array): GenesisDoc {
  return decodeGenesis(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
}

export interface GenesisAttemptFailure {
  endpoint: string;
  error: RpcClientError | DecodeError | SyntaxError;
}

/**
 * The genesis from the first endpoint that serves a decodable one, trying them in order.
 * Failures are returned too, so the caller can set those endpoints aside.
 */
export async function fetchGenesis(clients: readonly RpcClient[], signal?: AbortSignal): Promise<{ genesis?: FetchedGenesis; failures: GenesisAttemptFailure[] }> {
  const failures: GenesisAttemptFailure[] = [];
  for (const c of clients) {
    try {
      const g = await c.genesis(signal);
      const doc = parseGenesis(g.bytes);
      return { genesis: { bytes: g.bytes, sha256: sha256Hex(g.bytes), doc, from: c.label, via: g.via }, failures };
    } catch (e) {
      if (e instanceof RpcClientError && e.kind === 'aborted') throw e;
      if (e instanceof RpcClientError || e instanceof DecodeError || e instanceof SyntaxError) failures.push({ endpoint: c.label, error: e });
      else throw e;
    }
  }
  return { failures };
}
