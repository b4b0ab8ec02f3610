// Hex conventions (PROTOCOL.md §2.3): keys, hashes and signatures are lower-case hex;
// identifiers derived from transaction hashes are upper-case hex, as CometBFT prints tx hashes.
import { fromHex, toHex } from '../../cometbft/bytes';

export { fromHex };

export function toHexLower(bytes: Uint8Array): string {
  return toHex(bytes).toLowerCase();
}

const DIGITS = Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
const SCRATCH = new Uint8Array(64);
const ascii = typeof TextDecoder === 'function' ? new TextDecoder() : null;

/** Upper-case hex; a 32-byte digest (a tx id) is built flat in one step, not from 32 pieces. */
export function toHexUpper(bytes: Uint8Array): string {
  if (bytes.length !== 32 || !ascii) return toHex(bytes);
  for (let i = 0; i < 32; i++) {
    SCRATCH[2 * i] = DIGITS[bytes[i]! >> 4]!;
    SCRATCH[2 * i + 1] = DIGITS[bytes[i]! & 15]!;
  }
  return ascii.decode(SCRATCH);
}

export const HEX32_LOWER = /^[0-9a-f]{64}$/;
export const HEX32_UPPER = /^[0-9A-F]{64}$/;
export const HEX64_LOWER = /^[0-9a-f]{128}$/;
