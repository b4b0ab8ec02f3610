// SHA-256 as the ledger uses it (PROTOCOL.md §2.5 tx ids, §7.2 AppHash). Any implementation
// must be exactly SHA-256 (FIPS 180-4): results, tx ids and app hashes are the same whichever
// one runs. A string argument means its UTF-8 bytes; the ledger only ever passes well-formed
// strings (no lone surrogates), whose UTF-8 encoding is unique, so a hash may encode them itself.
//
// portableSha256 is plain TypeScript (shared/ runs anywhere; see cometbft/sha256.ts), fast on
// the ledger's short inputs and reading ASCII strings without encoding them. A host may pass a
// native one instead (MachineOptions.sha256, e.g. node:crypto); a call into native code costs
// about as much as hashing two blocks here, so messages shorter than HOST_HASH_MIN bytes are
// still hashed portably (withHost). nodeHash is the §7.2 trie node, a fixed 65-byte message.
// apphash.test.ts checks all of them against node:crypto.
import { nodeHash, sha256, sha256Ascii, sha256Words } from '../cometbft/sha256';
import { utf8Encode } from './encoding/utf8';

export { nodeHash };

export type Sha256 = (data: Uint8Array | string) => Uint8Array;

const NON_ASCII = /[^\u0000-\u007f]/; // eslint-disable-line no-control-regex

/** SHA-256 of bytes, or of a string's UTF-8 (a string with a lone surrogate throws, from utf8Encode). */
export const portableSha256: Sha256 = (data) => {
  if (typeof data !== 'string') return sha256(data);
  return NON_ASCII.test(data) ? sha256(utf8Encode(data)) : sha256Ascii(data);
};

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * SHA-256 of UTF-8(s) for any string: one with surrogates goes through utf8Encode, which
 * refuses lone ones exactly as before; any other is passed to `hash` as a string.
 */
export function sha256Utf8(hash: Sha256, s: string): Uint8Array {
  return hash(SURROGATE.test(s) ? utf8Encode(s) : s);
}

/** Below this many bytes (string: code units) the portable hash is cheaper than a host's (bench/replay.ts). */
export const HOST_HASH_MIN = 128;

/** The host hash for messages of HOST_HASH_MIN bytes or more, the portable one for shorter ones. */
export function withHost(host: Sha256 | undefined): Sha256 {
  if (!host || host === portableSha256) return portableSha256;
  return (data) => (data.length < HOST_HASH_MIN ? portableSha256(data) : host(data));
}

/**
 * SHA-256 of bytes, or of a string's UTF-8 (as sha256Utf8; `wellFormed`: the caller knows it
 * has no lone surrogates), as 8 big-endian words written to out[o..o+8): through `host` from
 * HOST_HASH_MIN bytes on, when one is given.
 */
export function sha256WordsOf(host: Sha256 | undefined, data: Uint8Array | string, out: Int32Array, o: number, wellFormed = false): void {
  if (host && data.length >= HOST_HASH_MIN) {
    const d = typeof data === 'string' && !wellFormed ? sha256Utf8(host, data) : host(data);
    for (let j = 0; j < 8; j++) out[o + j] = (d[4 * j]! << 24) | (d[4 * j + 1]! << 16) | (d[4 * j + 2]! << 8) | d[4 * j + 3]!;
  } else if (typeof data === 'string' && NON_ASCII.test(data)) {
    sha256Words(utf8Encode(data), out, o);
  } else {
    sha256Words(data, out, o);
  }
}
