// One stored height, decoded for the index: the /block and /block_results JSON as the node
// served them, read with shared/cometbft's decoders (tested against CometBFT 0.38 vectors).
// The index trusts nothing here more than the payload says; whether it verified is the
// verifier's answer (blocks.verification).
import { DecodeError, unwrapResult } from '../../../shared/cometbft/decode-core';
import { decodeBlockResponse } from '../../../shared/cometbft/decode-block';
import { decodeBlockResults } from '../../../shared/cometbft/decode-state';
import { toHex } from '../../../shared/cometbft/bytes';
import { formatTimestamp } from '../../../shared/cometbft/timestamp';
import type { ExecTxResult } from '../../../shared/cometbft/types';
import { IndexDataError } from './errors';
import { normalizeEvents, type LedgerEvent } from './events';

export interface DecodedHeight {
  height: number;
  hash: string;
  timeRfc3339: string;
  time: number;
  proposer: string;
  appHash: string;
  resultsAppHash: string;
  txs: Uint8Array[];
  results: ExecTxResult[];
  txEvents: LedgerEvent[][];
  blockEvents: LedgerEvent[];
  /** Raw finalize_block_events, kept for the explorer when non-empty. */
  blockEventsJson: string | null;
  validatorUpdates: { pubKey: string; power: number }[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parse(bytes: Uint8Array, height: number, kind: string): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (e) {
    throw new IndexDataError(height, `/${kind}`, `not JSON: ${(e as Error).message}`);
  }
}

function decoded<T>(height: number, kind: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DecodeError) throw new IndexDataError(height, `/${kind}`, e.message);
    throw e;
  }
}

function safe(n: bigint, height: number, where: string): number {
  if (n < BigInt(Number.MIN_SAFE_INTEGER) || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new IndexDataError(height, where, `${n} is out of range`);
  return Number(n);
}

export function decodeStoredHeight(height: number, blockBytes: Uint8Array, resultsBytes: Uint8Array): DecodedHeight {
  const blockJson = parse(blockBytes, height, 'block');
  const resultsJson = parse(resultsBytes, height, 'block_results');
  const br = decoded(height, 'block', () => decodeBlockResponse(blockJson));
  const rs = decoded(height, 'block_results', () => decodeBlockResults(resultsJson));
  const h = br.block.header;
  if (h.height !== BigInt(height)) throw new IndexDataError(height, '/block header.height', `is ${h.height}`);
  if (rs.height !== BigInt(height)) throw new IndexDataError(height, '/block_results height', `is ${rs.height}`);
  const raw = (unwrapResult(resultsJson).value ?? {}) as Record<string, unknown>;
  const fbe = raw['finalize_block_events'];
  const blockEvents = normalizeEvents(fbe, height, 'finalize_block_events');
  return {
    height,
    hash: toHex(br.blockId.hash),
    timeRfc3339: formatTimestamp(h.time),
    time: safe(h.time.seconds, height, 'header.time'),
    proposer: toHex(h.proposerAddress),
    appHash: toHex(h.appHash),
    resultsAppHash: toHex(rs.appHash),
    txs: br.block.txs,
    results: rs.txsResults,
    txEvents: rs.txsResults.map((r, i) => normalizeEvents(r.events, height, `txs_results[${i}].events`)),
    blockEvents,
    blockEventsJson: blockEvents.length ? JSON.stringify(fbe) : null,
    validatorUpdates: rs.validatorUpdates.map((u, i) => ({
      pubKey: toHex(u.pubKey).toLowerCase(),
      power: safe(u.power, height, `validator_updates[${i}].power`),
    })),
  };
}
