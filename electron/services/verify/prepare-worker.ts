// A prepare worker: for each height it is given, decodes the stored payloads, computes the
// hashes the header commits to, verifies every signature the sequential rules will ask about
// with native Ed25519, checks the keys the ledger rules will check (§2.7), and sends the result
// (verdicts instead of messages, v8-serialized into one transferred buffer) to the chain worker.
import { serialize } from 'node:v8';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { decodeCommitResponse } from '../../../shared/cometbft/decode-block';
import { decodeValidatorSet } from '../../../shared/cometbft/decode-state';
import type { Commit, ValidatorSet } from '../../../shared/cometbft/types';
import { isValidKey } from '../../../shared/ledger/rules/context';
import { decodeHeightBytes, prepareDecoded, taskKey } from '../../../shared/verify';
import type { FromPrepare, PreparedMessage, ToPrepare } from './messages';
import { NATIVE_RULES, nativeSha256 } from './native-rules';

let chainId = '';
let chainPort: MessagePort | null = null;
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** §2.7 key verdicts (a pure function of the key), bounded. */
const keyVerdicts = new Map<string, boolean>();
const KEY_VERDICTS_MAX = 65_536;

/** isValidKey (on the bytes for lower-case hex: shared/ledger rules/key-encoding.ts), remembered. */
function keyValid(k: string): boolean {
  let ok = keyVerdicts.get(k);
  if (ok === undefined) {
    ok = isValidKey(k);
    if (keyVerdicts.size >= KEY_VERDICTS_MAX) keyVerdicts.clear();
    keyVerdicts.set(k, ok);
  }
  return ok;
}

function tryDecode<T>(bytes: Uint8Array | undefined, fn: (json: unknown) => T): T | null {
  if (!bytes) return null;
  try {
    return fn(JSON.parse(utf8.decode(bytes)));
  } catch {
    return null; // the previous height's own verification reports it
  }
}

function handle(msg: ToPrepare): void {
  if (msg.type === 'init') {
    chainId = msg.chainId;
    chainPort = msg.port;
    return;
  }
  const { height, payloads, prev } = msg;
  const decoded = decodeHeightBytes(BigInt(height), payloads);
  const prevVals = tryDecode<ValidatorSet>(prev?.validators, (j) => decodeValidatorSet(j));
  const prevCommit = tryDecode<Commit>(prev?.commit, (j) => decodeCommitResponse(j).commit);
  const prepared = prepareDecoded(decoded, { chainId, keySets: [decoded.validators?.set, prevVals], previousCommit: prevCommit, digest: nativeSha256 });
  prepared.verdicts = prepared.tasks.map((t) => ({ key: taskKey(t, nativeSha256), ok: NATIVE_RULES[t.rule].verify(t.signature, t.message, t.publicKey) }));
  prepared.tasks = [];
  prepared.keyVerdicts = prepared.keys.map((k) => [k, keyValid(k)]);
  prepared.keys = [];
  // node:v8 writes every byte array by itself (a host object), so nothing is gained by packing them first.
  const bytes = serialize(prepared);
  const out: PreparedMessage = { type: 'prepared', height, bytes };
  chainPort!.postMessage(out, [bytes.buffer as ArrayBuffer]);
}

parentPort!.on('message', (msg: ToPrepare) => {
  try {
    handle(msg);
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: `prepare worker: ${(e as Error)?.stack ?? String(e)}` } satisfies FromPrepare);
  }
});
