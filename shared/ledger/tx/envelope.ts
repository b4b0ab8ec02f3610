// The transaction envelope, its canonical bytes and its signing bytes (PROTOCOL.md §2).
import { ed25519 } from '@noble/curves/ed25519.js';
import { canonicalBytes, CanonicalError, parseCanonical, type Json } from '../encoding/canonical';
import { fromHex } from '../encoding/hex';
import { utf8Encode } from '../encoding/utf8';
import { CHAIN_ID_RE } from '../vocab';
import { DecodeError, hex, int, obj, oneOf, pubkey, str } from './fields';
import { decodeBody } from './schema';
import { TX_KINDS, type AnyTx, type Tx, type TxKind } from './types';

/** §2.1: a transaction is at most 64 KiB. */
export const MAX_TX_BYTES = 65_536;
/** §2.6: the signing-bytes domain tag. */
export const SIGN_DOMAIN = 'custos-ledger/tx/v1';

const ENVELOPE_FIELDS = ['body', 'chain_id', 'kind', 'nonce', 'signer', 'sig', 'v'] as const;

/** The unsigned envelope: every member except `sig`. */
export interface UnsignedTx<K extends TxKind = TxKind> {
  v: 1;
  chain_id: string;
  kind: K;
  nonce: number;
  signer: string;
  body: unknown;
}

/**
 * §2.6 signing bytes: UTF-8("custos-ledger/tx/v1") ‖ 0x00 ‖ UTF-8(chain_id) ‖ 0x00 ‖ UTF-8(kind) ‖ 0x00 ‖
 * canonical JSON of the envelope without `sig`. The chain id and kind appear both in the
 * prefix (domain separation) and inside the JSON.
 */
export function signBytes(u: UnsignedTx): Uint8Array {
  const prefix = utf8Encode(`${SIGN_DOMAIN}\u0000${u.chain_id}\u0000${u.kind}\u0000`);
  const json = canonicalBytes({ v: u.v, chain_id: u.chain_id, kind: u.kind, nonce: u.nonce, signer: u.signer, body: u.body as Json });
  const out = new Uint8Array(prefix.length + json.length);
  out.set(prefix, 0);
  out.set(json, prefix.length);
  return out;
}

/** §2.7 Ed25519 (RFC 8032) with canonical encodings and small-order public keys refused. */
export function verifyEd25519(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array): boolean {
  try {
    return ed25519.verify(sig, msg, pub, { zip215: false });
  } catch {
    return false;
  }
}

/** Decodes and schema-checks a transaction (§2.1–§2.5, §5). Throws DecodeError naming the field. */
export function decodeTx(bytes: Uint8Array): AnyTx {
  if (bytes.length > MAX_TX_BYTES) throw new DecodeError('tx', `is ${bytes.length} bytes, more than ${MAX_TX_BYTES}`);
  let raw: Json;
  try {
    raw = parseCanonical(bytes);
  } catch (e) {
    if (e instanceof CanonicalError) throw new DecodeError(e.path === '$' ? 'tx' : `tx${e.path.slice(1)}`, e.message.replace(/^[^:]*: /, ''));
    throw e;
  }
  const o = obj(raw, 'tx', ENVELOPE_FIELDS);
  if (o.v !== 1) throw new DecodeError('v', 'must be 1');
  const chainId = str(o.chain_id, 'chain_id', CHAIN_ID_RE, '1..50 printable ASCII characters');
  const kind = oneOf(o.kind, 'kind', TX_KINDS);
  const nonce = int(o.nonce, 'nonce', 1, Number.MAX_SAFE_INTEGER);
  const signer = pubkey(o.signer, 'signer');
  const sig = hex(o.sig, 'sig', 128, false, '64 bytes of lower-case hex (an Ed25519 signature)');
  const body = decodeBody(kind, o.body);
  return { v: 1, chain_id: chainId, kind, nonce, signer, sig, body } as AnyTx;
}

/** Checks a decoded transaction's signature over its signing bytes (§2.7). */
export function verifyTxSignature(tx: Tx, verify: (sig: Uint8Array, msg: Uint8Array, pub: Uint8Array) => boolean = verifyEd25519): boolean {
  return verify(fromHex(tx.sig), signBytes(tx), fromHex(tx.signer));
}

/** Encodes a signed envelope canonically. */
export function encodeTx(u: UnsignedTx, sig: string): Uint8Array {
  return canonicalBytes({ v: u.v, chain_id: u.chain_id, kind: u.kind, nonce: u.nonce, signer: u.signer, sig, body: u.body as Json });
}
