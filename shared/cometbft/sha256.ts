// SHA-256 (FIPS 180-4) in plain TypeScript for the many short messages hashed here and in the
// ledger: Merkle leaves and inner nodes, tx bytes, state keys and values. It allocates nothing
// but the digest and can read an ASCII string without encoding it first, so on such inputs it
// is several times faster than a general-purpose JS hash (merkle.test.ts and the ledger's
// apphash.test.ts check it against node:crypto at every length around the block boundaries).
// The working state is module-level: fine, as every hash runs to completion synchronously.

// FIPS 180-4 §4.2.2 constants and §5.3.3 initial hash value.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const H = new Int32Array(8);
const W = new Int32Array(64);
/** The last one or two blocks: the message tail, 0x80, zeros and the bit length (§5.1.1). */
const TAIL = new Uint8Array(128);

/** §6.2.2: the message schedule from W[0..15], then 64 rounds into H. */
function compress(): void {
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!, y = W[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (s1 + W[i - 7]! + s0 + W[i - 16]!) | 0;
  }
  let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0;
    d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0; H[1] = (H[1]! + b) | 0; H[2] = (H[2]! + c) | 0; H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0; H[5] = (H[5]! + f) | 0; H[6] = (H[6]! + g) | 0; H[7] = (H[7]! + h) | 0;
}

function loadBytes(m: Uint8Array, at: number): void {
  for (let j = 0; j < 16; j++, at += 4) W[j] = (m[at]! << 24) | (m[at + 1]! << 16) | (m[at + 2]! << 8) | m[at + 3]!;
}

/** An ASCII string's code units are its UTF-8 bytes. */
function loadAscii(s: string, at: number): void {
  for (let j = 0; j < 16; j++, at += 4) W[j] = (s.charCodeAt(at) << 24) | (s.charCodeAt(at + 1) << 16) | (s.charCodeAt(at + 2) << 8) | s.charCodeAt(at + 3);
}

function digest(out: Uint8Array = new Uint8Array(32)): Uint8Array {
  for (let i = 0; i < 8; i++) {
    const v = H[i]!;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = (v >>> 16) & 0xff;
    out[4 * i + 2] = (v >>> 8) & 0xff;
    out[4 * i + 3] = v & 0xff;
  }
  return out;
}

/**
 * SHA-256 of `bytes`, or of `ascii` read as bytes (its code units, which the caller guarantees
 * are all below 0x80, so they are also its UTF-8).
 */
function hashOf(bytes: Uint8Array | null, ascii: string | null): Uint8Array {
  const n = bytes ? bytes.length : ascii!.length;
  const full = Math.floor(n / 64);
  H.set(IV);
  for (let k = 0; k < full; k++) {
    if (bytes) loadBytes(bytes, 64 * k);
    else loadAscii(ascii!, 64 * k);
    compress();
  }
  const rest = n - 64 * full;
  TAIL.fill(0);
  for (let i = 0; i < rest; i++) TAIL[i] = bytes ? bytes[64 * full + i]! : ascii!.charCodeAt(64 * full + i);
  TAIL[rest] = 0x80;
  const end = rest + 9 > 64 ? 128 : 64;
  // The length in bits as a 64-bit big-endian integer (n < 2^53 bytes, so n·8 fits in 56 bits).
  const hi = Math.floor(n / 0x20000000), lo = (n * 8) >>> 0;
  TAIL[end - 8] = 0; TAIL[end - 7] = (hi >>> 16) & 0xff; TAIL[end - 6] = (hi >>> 8) & 0xff; TAIL[end - 5] = hi & 0xff;
  TAIL[end - 4] = lo >>> 24; TAIL[end - 3] = (lo >>> 16) & 0xff; TAIL[end - 2] = (lo >>> 8) & 0xff; TAIL[end - 1] = lo & 0xff;
  for (let at = 0; at < end; at += 64) {
    loadBytes(TAIL, at);
    compress();
  }
  return digest();
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return hashOf(bytes, null);
}

/** SHA-256 of a string whose code units are all below 0x80 (its UTF-8 is its code units). */
export function sha256Ascii(ascii: string): Uint8Array {
  return hashOf(null, ascii);
}

/**
 * SHA-256(tag ‖ a ‖ b) for one tag byte and two 32-byte strings (a Merkle inner node, or the
 * ledger's §7.2 leaf), written into `out` when given (which may not be `a` or `b`).
 */
export function nodeHash(tag: number, a: Uint8Array, b: Uint8Array, out?: Uint8Array): Uint8Array {
  if (a.length !== 32 || b.length !== 32) throw new RangeError('nodeHash takes two 32-byte strings');
  TAIL.fill(0, 66);
  TAIL[0] = tag;
  TAIL.set(a, 1);
  TAIL.set(b, 33);
  TAIL[65] = 0x80;
  TAIL[126] = 520 >>> 8; // 65 bytes = 520 bits
  TAIL[127] = 520 & 0xff;
  H.set(IV);
  loadBytes(TAIL, 0);
  compress();
  loadBytes(TAIL, 64);
  compress();
  return digest(out);
}
