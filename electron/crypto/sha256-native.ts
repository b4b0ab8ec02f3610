// SHA-256 through OpenSSL for the pure layers that accept an injected hash (shared/ledger
// MachineOptions.sha256, shared/verify Digest). Uses the one-shot crypto.hash where Node has it
// (20.12+, 21.7+; less per-call overhead than createHash), createHash otherwise. A string is
// hashed as its UTF-8 bytes (the ledger passes only well-formed strings). Returns a plain
// Uint8Array (not a Buffer) so results compare and serialize like the portable hash's.
import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: Uint8Array | string, outputEncoding: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

const view = (d: Buffer): Uint8Array => new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

export const nativeSha256: (data: Uint8Array | string) => Uint8Array = typeof oneShot === 'function'
  ? (data) => view(oneShot('sha256', data, 'buffer'))
  : (data) => view(crypto.createHash('sha256').update(data).digest());
