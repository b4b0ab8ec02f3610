// Cheap self-consistency of what one endpoint served for one height. These catch an endpoint
// that serves data that cannot be right whatever the chain is; they are not the replica's
// verification (the verifier re-derives everything from genesis, across heights).
//
// Per height, from one endpoint's /block, /commit, /validators and /block_results:
//   decode        every payload decodes (shared/cometbft/decode); /block_results from the copy
//                 payload-scan.ts parses (same verdict, its events and tx data left out)
//   heights       each payload is for the height asked
//   chain id      the header's chain_id is the profile's
//   header.hash   /block's header hashes to its block_id (types/block.go Header.Hash)
//   commit        /commit's signed header is valid basic (types/light.go SignedHeader.ValidateBasic)
//                 and signs the same BlockID as /block
//   data hash     the txs hash to header.data_hash (types/tx.go Txs.Hash)
//   last commit   block.last_commit hashes to header.last_commit_hash (types/block.go Commit.Hash)
//   validators    the set hashes to header.validators_hash (types/validator_set.go Hash)
//   certificate   the commit verifies against that set (types/validation.go VerifyCommit)
//   canonical     /commit for h is the commit block h + 1 carries (its last_commit_hash)
// Per range, from another endpoint's /blockchain: each meta's header hashes to its block_id.

import { bytesEqual, toHex } from '../../../shared/cometbft/bytes';
import { blockIdEquals, describeBlockId, verifyCommit } from '../../../shared/cometbft/commit';
import {
  DecodeError, decodeBlockResponse, decodeBlockResults, decodeBlockchain, decodeCommitResponse, decodeValidatorsPage,
} from '../../../shared/cometbft/decode';
import type { BlockResponse } from '../../../shared/cometbft/types';
import type { Ed25519Verifier } from '../../../shared/cometbft/ed25519';
import { lastCommitHash } from '../../../shared/cometbft/hash';
import { headerMatchesBlockId, validateSignedHeaderBasic, validatorsMatch } from '../../../shared/cometbft/header-checks';
import type { BlockId, Header, SignedHeader, ValidatorSet } from '../../../shared/cometbft/types';
import type { Failure } from '../../../shared/cometbft/verdict';
import { nativeDataHash } from './native-hash';
import { ScannedResults } from './payload-scan';
import type { RpcResult } from './rpc-client';

/** What was wrong with served data: which height, which check, what was expected and found. */
export interface DataFault {
  height: number;
  check: string;
  expected: string;
  found: string;
  detail?: string;
}

/** Served data failed a self-consistency check: the endpoint is set aside. */
export class BadDataError extends Error {
  override name = 'BadDataError';
  constructor(readonly fault: DataFault) {
    super(`height ${fault.height}: ${fault.check}: expected ${fault.expected}, found ${fault.found}${fault.detail ? ` (${fault.detail})` : ''}`);
  }
}

/** The endpoint does not have this yet (a non-canonical tip commit): retried later, not a fault. */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
  constructor(readonly height: number, message: string) {
    super(message);
  }
}

export interface HeightPayloads {
  block: RpcResult;
  commit: RpcResult;
  validators: RpcResult;
  blockResults: RpcResult;
}

/**
 * One height that passed the checks: the bytes to store and the little the sync keeps while the
 * height waits to be written (many do: what it holds is promoted and collected late).
 */
export interface CheckedHeight {
  height: number;
  blockId: BlockId;
  header: Header;
  /** lastCommitHash of the /commit served: what h + 1's header must name (checkCanonicalCommits). */
  commitHash: Uint8Array;
  /** Decoded again from `raw` when read (a dispute): the same values the checks saw. */
  readonly signedHeader: SignedHeader;
  readonly validators: ValidatorSet;
  raw: { block: Uint8Array; commit: Uint8Array; validators: Uint8Array; block_results: Uint8Array };
}

const utf8 = new TextDecoder();

function checkedHeight(height: number, blockId: BlockId, header: Header, commitHash: Uint8Array, raw: CheckedHeight['raw']): CheckedHeight {
  let sh: SignedHeader | undefined;
  let vals: ValidatorSet | undefined;
  return {
    height, blockId, header, commitHash, raw,
    get signedHeader(): SignedHeader {
      return (sh ??= decodeCommitResponse(JSON.parse(utf8.decode(raw.commit))));
    },
    get validators(): ValidatorSet {
      return (vals ??= decodeValidatorsPage(JSON.parse(utf8.decode(raw.validators))).validatorSet);
    },
  };
}

function fromVerdict(height: number, f: Failure): BadDataError {
  const fault: DataFault = { height, check: f.check, expected: f.expected, found: f.found };
  if (f.detail) fault.detail = f.detail;
  return new BadDataError(fault);
}

function decodeOr<T>(height: number, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DecodeError) throw new BadDataError({ height, check: 'decode', expected: `a decodable ${what}`, found: e.message });
    throw e;
  }
}

function sameHeight(height: number, what: string, found: bigint): void {
  if (found !== BigInt(height)) throw new BadDataError({ height, check: 'rpc.height', expected: `${what} for height ${height}`, found: `height ${found}` });
}

/** A /commit result: decoded, for the height, canonical, valid basic. */
export function checkSignedHeader(height: number, commit: RpcResult, chainId: string): SignedHeader {
  const c = commit.value as { canonical?: unknown } | null;
  const sh = decodeOr(height, '/commit result', () => decodeCommitResponse(commit.value));
  sameHeight(height, '/commit', sh.header.height);
  const v = validateSignedHeaderBasic(sh, chainId);
  if (!v.ok) throw fromVerdict(height, v);
  // rpc/core/blocks.go Commit: the tip's commit is the node's own seen commit (canonical: false).
  if (c?.canonical !== true) throw new NotReadyError(height, `the commit for ${height} is not canonical yet`);
  return sh;
}

/**
 * decodeBlockResponse, with the transactions' base64 decoded natively (the shared decoder's
 * portable base64 was most of the cost of decoding a block). A tx whose base64 is canonical
 * (Buffer's decoding re-encodes to the very same string: standard alphabet, padded) is one the
 * shared decoder accepts, and decodes to the same bytes. If any tx is not, the shared decoder
 * runs on the whole block as served, so what is accepted and every error (and which comes
 * first) stay its own.
 */
export function decodeBlockFast(value: unknown): BlockResponse {
  const r = value as { block?: { data?: { txs?: unknown } } } | null;
  const data = isRecord(r) && !('jsonrpc' in r || 'result' in r || 'error' in r) && isRecord(r.block) && isRecord(r.block.data) ? r.block.data : undefined;
  const txs = data?.txs;
  if (!Array.isArray(txs) || txs.length === 0) return decodeBlockResponse(value);
  const bytes: Uint8Array[] = new Array<Uint8Array>(txs.length);
  for (let i = 0; i < txs.length; i++) {
    const t: unknown = txs[i];
    if (typeof t !== 'string' || t.length % 4 !== 0) return decodeBlockResponse(value);
    const b = Buffer.from(t, 'base64');
    if (b.toString('base64') !== t) return decodeBlockResponse(value);
    bytes[i] = new Uint8Array(b.buffer, b.byteOffset, b.length); // a plain view, as the shared decoder gives
  }
  const br = decodeBlockResponse({ ...r, block: { ...r!.block, data: { ...data, txs: [] } } });
  br.block.txs = bytes;
  return br;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkHeight(height: number, p: HeightPayloads, chainId: string, verifier: Ed25519Verifier): CheckedHeight {
  const br = decodeOr(height, '/block result', () => decodeBlockFast(p.block.value));
  const sh = checkSignedHeader(height, p.commit, chainId);
  const vp = decodeOr(height, '/validators result', () => decodeValidatorsPage(p.validators.value));
  const res = decodeOr(height, '/block_results result', () => {
    const s = p.blockResults.scanned;
    return decodeBlockResults(s instanceof ScannedResults ? s.reduced : p.blockResults.value);
  });
  const hd = br.block.header;
  const h = BigInt(height);

  sameHeight(height, '/block', hd.height);
  sameHeight(height, '/validators', vp.blockHeight);
  sameHeight(height, '/block_results', res.height);
  if (vp.count !== vp.total || vp.validatorSet.validators.length !== vp.total) {
    throw new BadDataError({ height, check: 'validators.basic', expected: `all ${vp.total} validators`, found: `${vp.validatorSet.validators.length}` });
  }
  if (hd.chainId !== chainId) throw new BadDataError({ height, check: 'header.chain_id', expected: JSON.stringify(chainId), found: JSON.stringify(hd.chainId) });

  const hm = headerMatchesBlockId(hd, br.blockId);
  if (!hm.ok) throw fromVerdict(height, hm);
  if (!blockIdEquals(sh.commit.blockId, br.blockId)) {
    throw new BadDataError({ height, check: 'commit.block_id', expected: `${describeBlockId(br.blockId)} (/block's block_id)`, found: describeBlockId(sh.commit.blockId) });
  }
  const dh = nativeDataHash(br.block.txs);
  if (!bytesEqual(dh, hd.dataHash)) throw new BadDataError({ height, check: 'header.data_hash', expected: toHex(hd.dataHash), found: `${toHex(dh)} (hash of the ${br.block.txs.length} txs served)` });
  if (br.block.lastCommit) {
    const lch = lastCommitHash(br.block.lastCommit);
    if (!bytesEqual(lch, hd.lastCommitHash)) throw new BadDataError({ height, check: 'header.last_commit_hash', expected: toHex(hd.lastCommitHash), found: `${toHex(lch)} (hash of last_commit served)` });
  }
  const vm = validatorsMatch(h, 'header.validators_hash', hd.validatorsHash, vp.validatorSet, 'the validators served');
  if (!vm.ok) throw fromVerdict(height, vm);
  const cv = verifyCommit(chainId, vp.validatorSet, br.blockId, h, sh.commit, verifier);
  if (!cv.ok) throw fromVerdict(height, cv);

  return checkedHeight(height, br.blockId, hd, lastCommitHash(sh.commit), {
    block: p.block.raw, commit: p.commit.raw, validators: p.validators.raw, block_results: p.blockResults.raw,
  });
}

/**
 * /commit for h must be the canonical commit: the one block h + 1 carries as last_commit
 * (rpc/core/blocks.go Commit serves it from there). A commit with a signature dropped can
 * still pass the 2/3 rule, so it is compared with what h + 1's header commits to. Above the
 * last height that header comes from `next`: /blockchain for h + 1 alone (its block meta, whose
 * header must hash to its block_id); none there (the node is not that far yet) skips the last.
 */
export function checkCanonicalCommits(heights: readonly CheckedHeight[], next: RpcResult | undefined, chainId: string): void {
  for (let i = 0; i + 1 < heights.length; i++) sameAsNext(heights[i]!, heights[i + 1]!.header);
  if (next && heights.length) {
    const last = heights[heights.length - 1]!;
    const h = last.height + 1;
    const bc = decodeOr(h, '/blockchain result', () => decodeBlockchain(next.value));
    if (bc.blockMetas.length === 0) return;
    if (bc.blockMetas.length !== 1) throw new BadDataError({ height: h, check: 'rpc.height', expected: `one block meta, for height ${h}`, found: `${bc.blockMetas.length} metas` });
    const m = bc.blockMetas[0]!;
    sameHeight(h, '/blockchain', m.header.height);
    if (m.header.chainId !== chainId) throw new BadDataError({ height: h, check: 'header.chain_id', expected: JSON.stringify(chainId), found: JSON.stringify(m.header.chainId) });
    const hm = headerMatchesBlockId(m.header, m.blockId);
    if (!hm.ok) throw fromVerdict(h, hm);
    sameAsNext(last, m.header);
  }
}

function sameAsNext(ch: CheckedHeight, next: Header): void {
  const got = ch.commitHash;
  if (!bytesEqual(got, next.lastCommitHash)) {
    throw new BadDataError({
      height: ch.height, check: 'commit.canonical',
      expected: `the commit block ${ch.height + 1} carries (last_commit_hash ${toHex(next.lastCommitHash)})`,
      found: `a commit hashing to ${toHex(got)}`,
    });
  }
}

/** The BlockID per height of a /blockchain answer for [from, to], each meta's header checked against its block_id. */
export function checkMetas(from: number, to: number, r: RpcResult, chainId: string): Map<number, BlockId> {
  const bc = decodeOr(from, '/blockchain result', () => decodeBlockchain(r.value));
  const out = new Map<number, BlockId>();
  for (const m of bc.blockMetas) {
    const h = Number(m.header.height);
    if (h < from || h > to || out.has(h)) throw new BadDataError({ height: h, check: 'rpc.height', expected: `one meta per height in ${from}..${to}`, found: `a meta for ${h}` });
    if (m.header.chainId !== chainId) throw new BadDataError({ height: h, check: 'header.chain_id', expected: JSON.stringify(chainId), found: JSON.stringify(m.header.chainId) });
    const hm = headerMatchesBlockId(m.header, m.blockId);
    if (!hm.ok) throw fromVerdict(h, hm);
    out.set(h, m.blockId);
  }
  for (let h = from; h <= to; h++) {
    if (!out.has(h)) throw new NotReadyError(h, `no block meta for ${h}`);
  }
  return out;
}
