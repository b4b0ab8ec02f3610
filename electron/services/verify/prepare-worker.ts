// A prepare worker: for each height it is given, decodes the stored payloads, computes the
// hashes the header commits to, verifies every signature the sequential rules will ask about
// with native Ed25519, and sends the result (verdicts instead of messages) to the chain worker.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { decodeCommitResponse } from '../../../shared/cometbft/decode-block';
import { decodeValidatorSet } from '../../../shared/cometbft/decode-state';
import type { Commit, ValidatorSet } from '../../../shared/cometbft/types';
import { decodeHeightBytes, prepareDecoded, taskKey } from '../../../shared/verify';
import type { FromPrepare, PreparedMessage, ToPrepare } from './messages';
import { NATIVE_RULES, nativeSha256 } from './native-rules';

let chainId = '';
let chainPort: MessagePort | null = null;
const utf8 = new TextDecoder('utf-8', { fatal: true });

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
  const signatures = prepared.tasks.length;
  prepared.tasks = [];
  const out: PreparedMessage = { type: 'prepared', prepared };
  chainPort!.postMessage(out);
  const bytes = payloads.block.length + payloads.commit.length + payloads.validators.length + payloads.block_results.length;
  parentPort!.postMessage({ type: 'done', height, bytes, signatures } satisfies FromPrepare);
}

parentPort!.on('message', (msg: ToPrepare) => {
  try {
    handle(msg);
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: `prepare worker: ${(e as Error)?.stack ?? String(e)}` } satisfies FromPrepare);
  }
});
