// The signature question of a transaction (PROTOCOL.md §2.6, §2.7) read off the canonical
// envelope's tail, without parsing the body: for a verifier's worker threads (shared/verify
// prepare.ts), which the ledger machine then asks by transaction id.
import { utf8Encode } from '../encoding/utf8';
import { CHAIN_ID_RE } from '../vocab';
import { SIG_MEMBER, TAIL } from './decode';
import { SIGN_DOMAIN } from './envelope';
import { TX_KINDS, type TxKind } from './types';

/** What a signature check needs of a transaction (§2.6, §2.7). */
export interface SignedTail {
  kind: TxKind;
  sig: Uint8Array;
  signer: Uint8Array;
  signBytes: Uint8Array;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** The tokens around sig, signer and nonce, each starting with the quote that closes the value before it (the nonce's: none). */
const END = ascii('","v":1}');
const SIGNER = ascii('","signer":"');
const SIG = ascii(',"sig":"');
const NONCE = ascii('","nonce":');
const KIND_BYTES = TX_KINDS.map((k) => ({ kind: k, bytes: ascii(k) }));
/** Lower-case hex digit values (-1: not one). */
const NIBBLE = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;

function matches(b: Uint8Array, at: number, m: Uint8Array): boolean {
  if (at < 0 || at + m.length > b.length) return false;
  for (let i = 0; i < m.length; i++) if (b[at + i] !== m[i]) return false;
  return true;
}

function isLowerHex(b: Uint8Array, at: number, n: number): boolean {
  for (let i = at; i < at + n; i++) if (NIBBLE[b[i]!]! < 0) return false;
  return true;
}

/** Lower-case hex b[at..at+2n) (checked) as n bytes at out[o..o+n). */
function hexInto(b: Uint8Array, at: number, n: number, out: Uint8Array, o: number): void {
  for (let i = 0; i < n; i++) out[o + i] = (NIBBLE[b[at + 2 * i]!]! << 4) | NIBBLE[b[at + 2 * i + 1]!]!;
}

/** Where sig and signer sit in a tail: from the end, `…","sig":"<128 hex>","signer":"<64 hex>","v":1}`. */
const signerAt = (n: number): number => n - END.length - 64;
const sigAt = (n: number): number => signerAt(n) - SIGNER.length - 128;

/**
 * Reads signatures off envelope tails for one chain: what decodeForVerify gives, without
 * parsing the body.
 *
 * Soundness. The tail of a transaction that decodeTx accepts with chain_id `chainId` is fixed by
 * §2.2 and §2.4: canonical JSON with exactly the envelope members, sorted, so after the body come
 * `,"chain_id":<JSON string of chainId>,"kind":"<kind>","nonce":<digits>,"sig":"<128 lower hex>",
 * "signer":"<64 lower hex>","v":1}`. Reading those tokens back from the end, each of a fixed
 * form, gives that transaction's kind, sig and signer, hence the same signing bytes
 * (txSignBytes). Bytes with any other tail give null (decode them fully). Bytes decodeTx refuses,
 * or that name another chain, may still give an answer; it means nothing, and a caller must use
 * it only where the ledger asks about a signature, which it does only for transactions that
 * passed both checks (§11.2 steps 1–3: the machine decodes every transaction itself first).
 */
export class TailReader {
  /** `,"chain_id":<canonical string>,"kind":"`; null when no transaction can name this chain (§2.4: 1..50 printable ASCII). */
  private readonly chainMember: Uint8Array | null;
  private readonly prefixes = new Map<TxKind, Uint8Array>();

  constructor(readonly chainId: string) {
    // RFC 8785 writes such a string as JSON.stringify does.
    this.chainMember = CHAIN_ID_RE.test(chainId) ? utf8Encode(`,"chain_id":${JSON.stringify(chainId)},"kind":"`) : null;
  }

  /** The kind, when `bytes` end as an envelope of this chain does (sig and signer lower-case hex); else null. */
  kindOf(bytes: Uint8Array): TxKind | null {
    const chainMember = this.chainMember;
    const n = bytes.length, sig = sigAt(n), signer = signerAt(n);
    const digitsEnd = sig - SIG.length;
    if (chainMember === null || digitsEnd < 1) return null;
    if (!matches(bytes, signer + 64, END) || !matches(bytes, sig + 128, SIGNER) || !matches(bytes, digitsEnd, SIG)) return null;
    let d = digitsEnd;
    while (d > 0 && bytes[d - 1]! >= 0x30 && bytes[d - 1]! <= 0x39) d--;
    if (d === digitsEnd || bytes[d] === 0x30 || !matches(bytes, d - NONCE.length, NONCE)) return null;
    // …,"chain_id":<string>,"kind":"<kind>"
    const kindEnd = d - NONCE.length;
    let kind: TxKind | null = null;
    for (const k of KIND_BYTES) {
      if (matches(bytes, kindEnd - k.bytes.length, k.bytes) && matches(bytes, kindEnd - k.bytes.length - chainMember.length, chainMember)) {
        kind = k.kind;
        break;
      }
    }
    if (kind === null || !isLowerHex(bytes, sig, 128) || !isLowerHex(bytes, signer, 64)) return null;
    return kind;
  }

  /** §2.6's prefix for `kind` on this chain. */
  prefix(kind: TxKind): Uint8Array {
    let p = this.prefixes.get(kind);
    if (!p) {
      p = utf8Encode(`${SIGN_DOMAIN}\u0000${this.chainId}\u0000${kind}\u0000`);
      this.prefixes.set(kind, p);
    }
    return p;
  }

  /** Bytes write() needs for `bytes` of `kind`: sig (64), signer (32), then the signing bytes. */
  size(bytes: Uint8Array, kind: TxKind): number {
    return 96 + this.prefix(kind).length + bytes.length - SIG_MEMBER;
  }

  /** Writes sig ‖ signer ‖ signing bytes of `bytes` (kindOf gave `kind`) at out[o..o+size). */
  write(bytes: Uint8Array, kind: TxKind, out: Uint8Array, o: number): void {
    const n = bytes.length;
    hexInto(bytes, sigAt(n), 64, out, o);
    hexInto(bytes, signerAt(n), 32, out, o + 64);
    const prefix = this.prefix(kind);
    const cut = n - TAIL - SIG_MEMBER;
    out.set(prefix, o + 96);
    out.set(bytes.subarray(0, cut), o + 96 + prefix.length);
    out.set(bytes.subarray(n - TAIL), o + 96 + prefix.length + cut);
  }

  /** kindOf and write, into arrays of their own. */
  read(bytes: Uint8Array): SignedTail | null {
    const kind = this.kindOf(bytes);
    if (kind === null) return null;
    const out = new Uint8Array(this.size(bytes, kind));
    this.write(bytes, kind, out, 0);
    return { kind, sig: out.subarray(0, 64), signer: out.subarray(64, 96), signBytes: out.subarray(96) };
  }
}
