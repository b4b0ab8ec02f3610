// Decoding for the machine: the typed transaction plus its exact signing bytes (PROTOCOL.md §2.6).
import { utf8Encode } from '../encoding/utf8';
import { SIGN_DOMAIN, decodeTx } from './envelope';
import type { AnyTx } from './types';

/** `,"signer":"<64 hex>","v":1}` — what follows the sig member in every canonical envelope. */
export const TAIL = 11 + 64 + 1 + 7;
/** `,"sig":"<128 hex>"` */
export const SIG_MEMBER = 8 + 128 + 1;

/**
 * The canonical envelope is `{"body":…,"chain_id":…,"kind":…,"nonce":…,"sig":"…","signer":"…","v":1}`
 * (members sorted), and sig and signer have fixed lengths, so the canonical JSON without `sig`
 * is the same bytes with the `,"sig":"…"` member cut out. That is exactly §2.6's definition,
 * computed without re-encoding the body.
 */
export function decodeForVerify(bytes: Uint8Array): { tx: AnyTx; signBytes: Uint8Array } {
  const tx = decodeTx(bytes);
  return { tx, signBytes: txSignBytes(bytes, tx) };
}

/** §2.6 signing bytes of `bytes`, which decodeTx has already accepted as `tx`. */
export function txSignBytes(bytes: Uint8Array, tx: AnyTx): Uint8Array {
  const prefix = utf8Encode(`${SIGN_DOMAIN}\u0000${tx.chain_id}\u0000${tx.kind}\u0000`);
  const cut = bytes.length - TAIL - SIG_MEMBER;
  const out = new Uint8Array(prefix.length + bytes.length - SIG_MEMBER);
  out.set(prefix, 0);
  out.set(bytes.subarray(0, cut), prefix.length);
  out.set(bytes.subarray(bytes.length - TAIL), prefix.length + cut);
  return out;
}
