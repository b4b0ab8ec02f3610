// The chain worker: the sequential rules and the ledger replay, off the caller's thread. It
// takes prepared heights from the prepare workers in any order, applies them strictly in height
// order, and reports progress, failures and (on request) a checkpoint to the coordinator. The
// ledger's committed state lives on disk beside the checkpoint (disk-state.ts) when there is one.
import { deserialize, setFlagsFromString } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { toHex } from '../../../shared/cometbft/bytes';
import { decodeGenesis } from '../../../shared/cometbft/decode';
import { fail, type Failure } from '../../../shared/cometbft/verdict';
import { ChainVerifier, decodeTagged, encodeTagged, ledgerMachine, SignatureResults, type PreparedHeight, type SigVerdict, type VerifierState } from '../../../shared/verify';
import { DiskState } from './disk-state';
import type { ChainStart, FromChain, PreparedMessage, ToChain } from './messages';
import { NATIVE_RULES, nativeSha256 } from './native-rules';

const PROGRESS_EVERY_MS = 50;
/**
 * V8 lets an old generation grow to up to 4× what survived the last full GC before the next one.
 * Here that is garbage (the disk state's evicted cached values, objects promoted within a
 * height) over a live size that stays near 20 MB: at 100k txs the heap reached 68 MB, at 1.5×
 * 55 MB, for about 1–2 % more CPU. The flag is process-wide, so close() puts V8's default back.
 */
const HEAP_GROWING_PERCENT = 50;
setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);

let verifier: ChainVerifier | null = null;
/** The ledger's committed state, when it is on disk. */
let disk: DiskState | null = null;
let closed = false;
/** Heights received and not applied yet, still serialized (messages.ts PreparedMessage). */
const pending = new Map<number, Uint8Array>();
let prevVerdicts: SigVerdict[] = [];
let unreported: Failure[] = [];
let misses = 0;
let lastPost = 0;

const post = (m: FromChain, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(m, transfer);

function progress(): void {
  const v = verifier!;
  post({
    type: 'progress', verifiedHeight: Number(v.nextHeight - 1n), failures: unreported, counters: v.state.counters,
    signatureMisses: misses, halted: v.halted,
  });
  unreported = [];
  lastPost = Date.now();
}

function drain(): void {
  const v = verifier;
  if (!v || closed) return;
  if (v.halted) {
    pending.clear(); // nothing after a halt can be applied
    return;
  }
  let applied = 0;
  while (!v.halted) {
    const next = Number(v.nextHeight);
    const bytes = pending.get(next);
    if (!bytes) break;
    pending.delete(next);
    const p = deserialize(bytes) as PreparedHeight;
    const results = new SignatureResults(NATIVE_RULES, nativeSha256).add(prevVerdicts).add(p.verdicts ?? []);
    const o = v.apply(p, results);
    prevVerdicts = p.verdicts ?? [];
    misses += o.signatureMisses;
    unreported.push(...o.failures);
    applied++;
  }
  if (v.halted) pending.clear();
  // Every PROGRESS_EVERY_MS while busy (each message wakes the coordinator's thread), and
  // whenever there is nothing more to apply (the coordinator may be waiting to send more).
  if (v.halted || (applied > 0 && (pending.size === 0 || Date.now() - lastPost >= PROGRESS_EVERY_MS))) progress();
}

/** The replayed ledger hashes (tx ids, AppHash) with OpenSSL's SHA-256: same results, less time; its state is `disk` when there is one. */
const machine = () => ledgerMachine({ sha256: nativeSha256, ...(disk ? { newState: () => disk! } : {}) });

/** A new state log beside the checkpoint, or null (the state in memory) where none can be made, e.g. a read-only replica. */
function openDisk(stateLog: string): DiskState | null {
  try {
    return DiskState.create(stateLog, { sha256: nativeSha256 });
  } catch {
    return null;
  }
}

/** The verifier a checkpoint recorded; throws when it cannot be resumed (then nothing of it is left open). */
function resume(start: Extract<ChainStart, { kind: 'checkpoint' }>, stateLog: string | null): ChainVerifier {
  const state = decodeTagged<VerifierState>(start.state);
  if (start.log && !stateLog) throw new Error('the checkpoint\'s state log has no place here');
  disk = !stateLog ? null : start.log ? DiskState.resume(stateLog, start.log.path, start.log.mark, { sha256: nativeSha256 }) : openDisk(stateLog);
  try {
    const opts = { fallback: NATIVE_RULES, machine: machine() };
    return ChainVerifier.restore(state, start.log ? disk! : start.snapshot, opts);
  } catch (e) {
    disk?.close(null);
    disk = null;
    throw e;
  }
}

function init(msg: Extract<ToChain, { type: 'init' }>): void {
  let refused: string | undefined;
  if (msg.start.kind === 'checkpoint') {
    try {
      verifier = resume(msg.start, msg.stateLog);
    } catch (e) {
      refused = `cannot resume from it (${(e as Error)?.message ?? String(e)}); verifying from the genesis`;
    }
  }
  if (!verifier) {
    disk = msg.stateLog ? openDisk(msg.stateLog) : null;
    let v: ChainVerifier | Failure;
    try {
      v = ChainVerifier.fromGenesis(decodeGenesis(JSON.parse(msg.start.genesisJson)), { fallback: NATIVE_RULES, machine: machine() });
    } catch (e) {
      v = fail(0n, 'genesis', 'a well-formed genesis document', (e as Error).message);
    }
    if ('ok' in v) {
      disk?.close(null);
      disk = null;
      post({ type: 'genesis-failure', failure: v });
      return;
    }
    verifier = v;
  }
  for (const port of msg.ports) {
    port.on('message', (m: PreparedMessage) => guard(() => {
      if (closed) return;
      pending.set(m.height, m.bytes);
      drain();
    }));
  }
  post({ type: 'ready', nextHeight: Number(verifier.nextHeight), ...(refused ? { refused } : {}) });
}

function checkpoint(): void {
  const v = verifier!;
  // The failures and height applied since the last progress go first (messages arrive in order),
  // so the checkpoint the coordinator writes holds every failure up to its height.
  progress();
  const t = performance.now();
  const height = Number(v.nextHeight - 1n);
  if (disk) {
    // The state log, on disk up to here, stands for the state at this height.
    const state = v.state;
    let log;
    try {
      log = disk.mark();
    } catch (e) {
      post({ type: 'checkpoint-failed', message: (e as Error)?.message ?? String(e) });
      return;
    }
    post({ type: 'checkpoint', height, state: encodeTagged(state), snapshot: [], log, lastBlockIdHash: toHex(state.lastBlockId.hash), ms: performance.now() - t });
    return;
  }
  const { state, machine: parts } = v.snapshotParts();
  // Moved, not copied, when a part is the whole of its buffer (it normally is).
  const snapshot = parts.map((p) => (p.byteOffset === 0 && p.byteLength === p.buffer.byteLength ? p : p.slice()));
  post({
    type: 'checkpoint', height, state: encodeTagged(state), snapshot, log: null, lastBlockIdHash: toHex(state.lastBlockId.hash),
    ms: performance.now() - t,
  }, snapshot.map((p) => p.buffer as ArrayBuffer));
}

function close(keep: string | null): void {
  closed = true;
  setFlagsFromString('--heap-growing-percent=0'); // V8's default: its own factor
  pending.clear();
  verifier = null;
  try {
    disk?.close(keep);
  } finally {
    disk = null;
    post({ type: 'closed' });
  }
}

function guard(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    post({ type: 'error', message: `chain worker: ${(e as Error)?.stack ?? String(e)}` });
  }
}

parentPort!.on('message', (msg: ToChain) => guard(() => {
  if (msg.type === 'init') init(msg);
  else if (msg.type === 'checkpoint') checkpoint();
  else if (msg.type === 'close') close(msg.keep);
}));
