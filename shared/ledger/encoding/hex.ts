// Hex conventions (PROTOCOL.md §2.3): keys, hashes and signatures are lower-case hex;
// identifiers derived from transaction hashes are upper-case hex, as CometBFT prints tx hashes.
import { fromHex, toHex } from '../../cometbft/bytes';

export { fromHex };

export function toHexLower(bytes: Uint8Array): string {
  return toHex(bytes).toLowerCase();
}

export function toHexUpper(bytes: Uint8Array): string {
  return toHex(bytes);
}

export const HEX32_LOWER = /^[0-9a-f]{64}$/;
export const HEX32_UPPER = /^[0-9A-F]{64}$/;
export const HEX64_LOWER = /^[0-9a-f]{128}$/;
