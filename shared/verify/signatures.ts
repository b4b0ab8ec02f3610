// Pluggable signature checking. The sequential rules never verify a signature themselves:
// prepareHeight collects every (signature, message, public key) the rules of a height will ask
// about as SigTasks, a SignatureBatchVerifier checks a batch (in the Node pipeline: a pool of
// worker threads with native Ed25519), and the rules then read the answers from
// SignatureResults. A question the batch did not cover is answered by a synchronous fallback
// and counted, so a miss costs time, never correctness.
//
// Two rules exist, and a verifier must implement the one a task names:
//   'consensus'  votes in commits: CometBFT crypto/ed25519/ed25519.go VerifySignature, i.e.
//                ZIP-215 (shared/cometbft/ed25519.ts);
//   'ledger-tx'  consent-ledger transactions: PROTOCOL.md §2.7, RFC 8032 with canonical
//                encodings and small-order public keys refused (shared/ledger/tx/envelope.ts).
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../cometbft/bytes';
import { portableEd25519, type Ed25519Verifier } from '../cometbft/ed25519';
import { verifyEd25519 as verifyLedgerTx } from '../ledger/tx/envelope';

export type SigRule = 'consensus' | 'ledger-tx';

export interface SigTask {
  rule: SigRule;
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
  /** Where the signature sits, for diagnostics: e.g. "commit 12 #3", "tx 12 #0". */
  where: string;
  /**
   * 'ledger-tx' only: the id (upper-case hex SHA-256) of the transaction bytes the signature,
   * message and key were decoded from. The verdict is then keyed by it, and the ledger machine
   * asks for it by id (SignatureResults.txVerdict) without rebuilding the question.
   */
  txId?: string;
}

/** Checks a batch; answer i is the validity of task i. Must never reject for an invalid signature. */
export interface SignatureBatchVerifier {
  verifyBatch(tasks: readonly SigTask[]): Promise<boolean[]>;
}

/** A verified task reduced to its lookup key (what crosses threads instead of the message). */
export interface SigVerdict {
  key: string;
  ok: boolean;
}

/** SHA-256 (a host may pass a native one; both ends of a lookup must use the same function). */
export type Digest = (message: Uint8Array) => Uint8Array;

/**
 * The lookup key: rule, public key, signature and SHA-256 of the message. The message digest
 * must be collision-resistant: a signature is only ever answered for the exact message it was
 * verified over.
 */
export function sigKey(rule: SigRule, signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, digest: Digest = sha256): string {
  return `${rule === 'consensus' ? 'c' : 't'}${toHex(publicKey)}${toHex(signature)}${toHex(digest(message))}`;
}

/**
 * The key a task's verdict is stored under: by transaction id for a ledger tx that names its id
 * (the tx bytes fix signature, message and key; SHA-256 makes the id collision-resistant), else
 * sigKey.
 */
export function taskKey(t: SigTask, digest: Digest = sha256): string {
  if (t.rule === 'ledger-tx' && t.txId !== undefined) return txVerdictKey(t.txId);
  return sigKey(t.rule, t.signature, t.message, t.publicKey, digest);
}

const txVerdictKey = (txId: string): string => `x${txId}`;

/** The reference single-signature verifiers for each rule (pure TypeScript). */
export const PORTABLE_RULES: Readonly<Record<SigRule, Ed25519Verifier>> = Object.freeze({
  consensus: portableEd25519,
  'ledger-tx': Object.freeze({ name: 'portable (@noble/curves, RFC 8032 strict)', verify: verifyLedgerTx }),
});

/** A batch verifier that runs `rules` one signature at a time, in this thread. */
export function sequentialBatchVerifier(rules: Readonly<Record<SigRule, Ed25519Verifier>> = PORTABLE_RULES): SignatureBatchVerifier {
  return {
    verifyBatch: (tasks) => Promise.resolve(tasks.map((t) => rules[t.rule].verify(t.signature, t.message, t.publicKey))),
  };
}

/** Answers to signature questions: batch verdicts first, then the synchronous fallback. */
export class SignatureResults {
  private readonly known = new Map<string, boolean>();
  /** Questions answered from the batch verdicts. */
  hits = 0;
  /** Questions the batch did not cover, answered by the fallback. */
  misses = 0;
  /** Questions asked, per rule. */
  readonly checkedByRule: Record<SigRule, number> = { consensus: 0, 'ledger-tx': 0 };

  constructor(private readonly fallback: Readonly<Record<SigRule, Ed25519Verifier>> = PORTABLE_RULES, private readonly digest: Digest = sha256) {}

  add(verdicts: Iterable<SigVerdict>): this {
    for (const v of verdicts) this.known.set(v.key, v.ok);
    return this;
  }

  addTasks(tasks: readonly SigTask[], answers: readonly boolean[]): this {
    tasks.forEach((t, i) => this.known.set(taskKey(t, this.digest), answers[i] === true));
    return this;
  }

  check(rule: SigRule, signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    this.checkedByRule[rule]++;
    const key = sigKey(rule, signature, message, publicKey, this.digest);
    const hit = this.known.get(key);
    if (hit !== undefined) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const ok = this.fallback[rule].verify(signature, message, publicKey);
    this.known.set(key, ok);
    return ok;
  }

  /**
   * The batch verdict for a ledger transaction's signature, by tx id (see SigTask.txId), counted
   * like check(); undefined when the batch has none (then ask check(), which verifies).
   */
  txVerdict(txId: string): boolean | undefined {
    const hit = this.known.get(txVerdictKey(txId));
    if (hit !== undefined) {
      this.checkedByRule['ledger-tx']++;
      this.hits++;
    }
    return hit;
  }

  /** The answers for one rule as an Ed25519Verifier (what verifyCommit and the ledger machine take). */
  verifier(rule: SigRule): Ed25519Verifier {
    return { name: `batch results (${rule})`, verify: (s, m, p) => this.check(rule, s, m, p) };
  }

  get checked(): number {
    return this.hits + this.misses;
  }
}
