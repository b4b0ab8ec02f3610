// The part of a height's verification that needs no chain state, so it can run ahead and in
// parallel: decoding, the hashes a header commits to, and the list of signatures the
// sequential rules will ask about (SigTasks). Public keys for commit signatures are looked up
// by address in the sets given (in the pipeline: the node's own /validators answers); should
// the derived set differ, the sequential rules simply miss in the results and verify again.
import { KEY_BINDING_KINDS, keysValidatedBy } from '../ledger/rules/keys';
import { decodeForVerify } from '../ledger/tx/decode';
import { TailReader } from '../ledger/tx/tail';
import type { TxKind } from '../ledger/tx/types';
import { bytesEqual, fromHex, toHex } from '../cometbft/bytes';
import { blockIdEquals } from '../cometbft/commit';
import { ED25519_SIGNATURE_SIZE } from '../cometbft/ed25519';
import { evidenceHash, headerHash, lastCommitHash } from '../cometbft/hash';
import { merkleRoot } from '../cometbft/merkle';
import { sha256 } from '../cometbft/sha256';
import { commitSigSignBytes } from '../cometbft/sign-bytes';
import { BlockIdFlag, type Commit, type CommitSig, type ValidatorSet } from '../cometbft/types';
import { decodeHeight, type DecodedHeight, type RawHeight } from './height-input';
import { resultsHash } from './results';
import type { Digest, SigTask, SigVerdict } from './signatures';

export interface PreparedHeight {
  height: bigint;
  decoded: DecodedHeight;
  /** headerHash of /block's header and of /commit's signed header (null when that payload did not decode). */
  blockHeaderHash: Uint8Array | null;
  commitHeaderHash: Uint8Array | null;
  /** Data.Hash, Commit.Hash of block.last_commit, EvidenceList.Hash (or why it cannot be computed). */
  dataHash: Uint8Array | null;
  lastCommitHash: Uint8Array | null;
  evidenceHash: Uint8Array | { error: string } | null;
  /**
   * LastResultsHash of the node's /block_results (types/results.go ABCIResults.Hash), null when
   * they did not decode. The next header's LastResultsHash is the replay's: when the replay
   * returns the same results, this is it, computed here, off the sequential path.
   */
  resultsHash: Uint8Array | null;
  /**
   * The SHA-256 of each of block.txs, 32 bytes each in order (types/tx.go Tx.Hash; the ledger's
   * tx ids), so the replay does not hash the same bytes again; absent when there is no block.
   */
  txHashes?: Uint8Array;
  /** Signatures to verify in a batch. */
  tasks: SigTask[];
  /** Their answers when the batch ran elsewhere (tasks are then dropped to save copying). */
  verdicts?: SigVerdict[];
  /**
   * Keys (lower-case hex) the ledger rules of this height's txs may check for §2.7 validity
   * (shared/ledger rules/keys.ts keysValidatedBy), each once.
   */
  keys: string[];
  /** Their verdicts (shared/ledger isValidKey) when checked elsewhere; the replay then asks these first. */
  keyVerdicts?: [key: string, valid: boolean][];
}

export interface PrepareOptions {
  chainId: string;
  /** Sets whose keys may have signed /commit (height h) and block.last_commit (h-1), found by address. */
  keySets: readonly (ValidatorSet | null | undefined)[];
  /**
   * The /commit of h-1 when its signatures are already in an earlier batch: identical
   * signatures of block.last_commit are then not collected again (the canonical commit of h-1
   * and block h's LastCommit are normally the same).
   */
  previousCommit?: Commit | null;
  /** SHA-256 for the tx hashes (a host may pass a native one). */
  digest?: Digest;
}

function sameSig(a: CommitSig, b: CommitSig): boolean {
  return a.blockIdFlag === b.blockIdFlag && bytesEqual(a.validatorAddress, b.validatorAddress) && bytesEqual(a.signature, b.signature) &&
    a.timestamp.seconds === b.timestamp.seconds && a.timestamp.nanos === b.timestamp.nanos;
}

/** Signatures VerifyCommit will check: Commit and Nil votes of the right size, by a known key. */
function commitTasks(chainId: string, commit: Commit, keys: Map<string, Uint8Array>, label: string, skip: Commit | null | undefined): SigTask[] {
  const out: SigTask[] = [];
  const skippable = skip && skip.height === commit.height && skip.round === commit.round && blockIdEquals(skip.blockId, commit.blockId);
  commit.signatures.forEach((s, i) => {
    if (s.blockIdFlag !== BlockIdFlag.Commit && s.blockIdFlag !== BlockIdFlag.Nil) return;
    if (s.signature.length !== ED25519_SIGNATURE_SIZE) return;
    if (skippable && skip.signatures[i] && sameSig(skip.signatures[i]!, s)) return;
    const pk = keys.get(toHex(s.validatorAddress));
    if (!pk) return;
    out.push({ rule: 'consensus', signature: s.signature, message: commitSigSignBytes(chainId, commit, i), publicKey: pk, where: `${label} #${i}` });
  });
  return out;
}

/** 32-byte hashes into one buffer (one object to serialize instead of one per tx). */
function concat32(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(32 * hashes.length);
  hashes.forEach((x, i) => out.set(x, 32 * i));
  return out;
}

let reader: TailReader | null = null;

/**
 * Transaction signatures the ledger machine will check (PROTOCOL.md §11.2): those of txs that
 * decode and name this chain; the machine refuses the others before looking at a signature.
 * Most are read off the envelope's tail (ledger/tx/tail.ts TailReader, exact for every tx the
 * machine asks about), into one buffer for the height; txs whose tail does not read, or whose
 * rules check keys (those keys go to `keys`), are decoded fully.
 */
function txTasks(chainId: string, height: bigint, txs: readonly Uint8Array[], hashes: readonly Uint8Array[], keys: Set<string>): SigTask[] {
  if (reader?.chainId !== chainId) reader = new TailReader(chainId);
  const r = reader;
  const kinds: (TxKind | null)[] = [];
  let total = 0;
  for (const bytes of txs) {
    const kind = r.kindOf(bytes);
    const fast = kind !== null && !KEY_BINDING_KINDS.has(kind);
    kinds.push(fast ? kind : null);
    if (fast) total += r.size(bytes, kind);
  }
  const all = new Uint8Array(total);
  let o = 0;
  const out: SigTask[] = [];
  for (let i = 0; i < txs.length; i++) {
    const bytes = txs[i]!, kind = kinds[i]!;
    let signature, publicKey, message;
    if (kind !== null) {
      const n = r.size(bytes, kind);
      r.write(bytes, kind, all, o);
      signature = all.subarray(o, o + 64);
      publicKey = all.subarray(o + 64, o + 96);
      message = all.subarray(o + 96, o + n);
      o += n;
    } else {
      let d;
      try {
        d = decodeForVerify(bytes);
      } catch {
        continue;
      }
      if (d.tx.chain_id !== chainId) continue;
      for (const k of keysValidatedBy(d.tx)) keys.add(k);
      signature = fromHex(d.tx.sig);
      publicKey = fromHex(d.tx.signer);
      message = d.signBytes;
    }
    out.push({ rule: 'ledger-tx', signature, message, publicKey, where: `tx ${height} #${i}`, txId: toHex(hashes[i]!) });
  }
  return out;
}

export function prepareDecoded(decoded: DecodedHeight, opts: PrepareOptions): PreparedHeight {
  const h = decoded.height;
  const keys = new Map<string, Uint8Array>();
  for (const set of opts.keySets) for (const v of set?.validators ?? []) keys.set(toHex(v.address), v.pubKey);
  const block = decoded.block?.block ?? null;
  const tasks: SigTask[] = [];
  if (decoded.commit) tasks.push(...commitTasks(opts.chainId, decoded.commit.commit, keys, `commit ${h}`, null));
  if (block?.lastCommit && block.lastCommit.signatures.length > 0) {
    tasks.push(...commitTasks(opts.chainId, block.lastCommit, keys, `block ${h} last_commit`, opts.previousCommit));
  }
  // types/tx.go Tx.Hash: SHA-256 of each tx, for Data.Hash and the ledger's tx ids alike.
  const digest = opts.digest ?? sha256;
  const txHashes = block ? block.txs.map((tx) => digest(tx)) : [];
  const ruleKeys = new Set<string>();
  if (block) tasks.push(...txTasks(opts.chainId, h, block.txs, txHashes, ruleKeys));
  let evHash: PreparedHeight['evidenceHash'] = null;
  if (block) {
    try {
      evHash = evidenceHash(block.evidence);
    } catch (e) {
      evHash = { error: (e as Error).message };
    }
  }
  return {
    height: h,
    decoded,
    blockHeaderHash: block ? headerHash(block.header) : null,
    commitHeaderHash: decoded.commit ? headerHash(decoded.commit.header) : null,
    // types/block.go Data.Hash = merkle.HashFromByteSlices of the tx hashes (cometbft/hash.ts dataHash).
    dataHash: block ? merkleRoot(txHashes) : null,
    lastCommitHash: block?.lastCommit ? lastCommitHash(block.lastCommit) : null,
    evidenceHash: evHash,
    resultsHash: decoded.results ? resultsHash(decoded.results.txsResults) : null,
    ...(block ? { txHashes: concat32(txHashes) } : {}),
    tasks,
    keys: [...ruleKeys],
  };
}

export function prepareHeight(raw: RawHeight, opts: Omit<PrepareOptions, 'keySets'> & { keySets?: PrepareOptions['keySets'] }): PreparedHeight {
  const decoded = decodeHeight(raw);
  const keySets = opts.keySets ?? [decoded.validators?.set];
  return prepareDecoded(decoded, { ...opts, keySets });
}
