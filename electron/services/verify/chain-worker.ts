// The chain worker: the sequential rules and the ledger replay, off the caller's thread. It
// takes prepared heights from the prepare workers in any order, applies them strictly in height
// order, and reports progress, failures and (on request) a checkpoint to the coordinator.
import { deserialize } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { toHex } from '../../../shared/cometbft/bytes';
import { decodeGenesis } from '../../../shared/cometbft/decode';
import { fail, type Failure } from '../../../shared/cometbft/verdict';
import { ChainVerifier, decodeTagged, encodeTagged, ledgerMachine, SignatureResults, type PreparedHeight, type SigVerdict, type VerifierState } from '../../../shared/verify';
import type { FromChain, PreparedMessage, ToChain } from './messages';
import { NATIVE_RULES, nativeSha256 } from './native-rules';

const PROGRESS_EVERY_MS = 50;
/** The replayed ledger hashes (tx ids, AppHash) with OpenSSL's SHA-256: same results, less time. */
const MACHINE = ledgerMachine({ sha256: nativeSha256 });

let verifier: ChainVerifier | null = null;
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
  if (!v) return;
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

function init(msg: Extract<ToChain, { type: 'init' }>): void {
  if (msg.start.kind === 'checkpoint') {
    verifier = ChainVerifier.restore(decodeTagged<VerifierState>(msg.start.state), msg.start.snapshot, { fallback: NATIVE_RULES, machine: MACHINE });
  } else {
    let v: ChainVerifier | Failure;
    try {
      v = ChainVerifier.fromGenesis(decodeGenesis(JSON.parse(msg.start.genesisJson)), { fallback: NATIVE_RULES, machine: MACHINE });
    } catch (e) {
      v = fail(0n, 'genesis', 'a well-formed genesis document', (e as Error).message);
    }
    if ('ok' in v) {
      post({ type: 'genesis-failure', failure: v });
      return;
    }
    verifier = v;
  }
  for (const port of msg.ports) {
    port.on('message', (m: PreparedMessage) => guard(() => {
      pending.set(m.height, m.bytes);
      drain();
    }));
  }
  post({ type: 'ready', nextHeight: Number(verifier.nextHeight) });
}

function checkpoint(): void {
  const v = verifier!;
  const t = performance.now();
  const { state, machine } = v.snapshotParts();
  // Moved, not copied, when a part is the whole of its buffer (it normally is).
  const snapshot = machine.map((p) => (p.byteOffset === 0 && p.byteLength === p.buffer.byteLength ? p : p.slice()));
  post({
    type: 'checkpoint', height: Number(v.nextHeight - 1n), state: encodeTagged(state), snapshot, lastBlockIdHash: toHex(state.lastBlockId.hash),
    ms: performance.now() - t,
  }, snapshot.map((p) => p.buffer as ArrayBuffer));
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
}));
