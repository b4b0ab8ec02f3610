// SHA-256 as the ledger uses it (PROTOCOL.md §2.5 tx ids, §7.2 AppHash). Any implementation
// must be exactly SHA-256 (FIPS 180-4): results, tx ids and app hashes are the same whichever
// one runs. A string argument means its UTF-8 bytes; the ledger only ever passes well-formed
// strings (no lone surrogates), whose UTF-8 encoding is unique, so a hash may encode them itself.
//
// portableSha256 is plain TypeScript (shared/ runs anywhere; see cometbft/sha256.ts), fast on
// the ledger's short inputs and reading ASCII strings without encoding them. A host may pass a
// native one instead (MachineOptions.sha256, e.g. node:crypto), which wins on longer inputs.
// nodeHash is the §7.2 trie node, a fixed 65-byte message. apphash.test.ts checks both against
// node:crypto.
import { nodeHash, sha256, sha256Ascii } from '../cometbft/sha256';
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
