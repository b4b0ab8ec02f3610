// SHA-256 (FIPS 180-4) in plain TypeScript for the many short messages hashed here and in the
// ledger: Merkle leaves and inner nodes, tx bytes, state keys and values. It allocates nothing
// but the digest and can read an ASCII string without encoding it first, so on such inputs it
// is several times faster than a general-purpose JS hash (merkle.test.ts and the ledger's
// apphash.test.ts and trie.test.ts check it against node:crypto at every length around the
// block boundaries). On 65-byte node messages it also beats a call into native code: their
// second block's schedule is precomputed (KW65), and nodeHashWords reads and writes digests as
// words, as the ledger's trie keeps them. The working state is module-level: fine, as every
// hash runs to completion synchronously.

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

/**
 * §6.2.2: 64 rounds into H over the message schedule grown from W[0..15] as the rounds go
 * (fused, about a fifth faster than scheduling first). Ch(e,f,g) = g ^ (e & (f ^ g)) and
 * Maj(a,b,c) = (a & b) | (c & (a | b)) are the §4.1.2 functions with fewer operations.
 */
function compress(): void {
  let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
  for (let i = 0; i < 16; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + (g ^ (e & (f ^ g))) + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) | (c & (a | b)))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0;
    d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!, y = W[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    const w = (s1 + W[i - 7]! + s0 + W[i - 16]!) | 0;
    W[i] = w;
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + (g ^ (e & (f ^ g))) + K[i]! + w) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) | (c & (a | b)))) | 0;
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
 * SHA-256 of bytes[0..n) (n defaults to the whole array), or of `ascii` read as bytes (its code
 * units, which the caller guarantees are all below 0x80, so they are also its UTF-8), left in H.
 */
function hashOf(bytes: Uint8Array | null, ascii: string | null, n: number = bytes ? bytes.length : ascii!.length): void {
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
}

export function sha256(bytes: Uint8Array): Uint8Array {
  hashOf(bytes, null);
  return digest();
}

/** SHA-256 of a string whose code units are all below 0x80 (its UTF-8 is its code units). */
export function sha256Ascii(ascii: string): Uint8Array {
  hashOf(null, ascii);
  return digest();
}

/**
 * The digest as eight big-endian 32-bit words, written to out[o..o+8): SHA-256 of `bytes`, or
 * of `ascii` (a string read as its code units, all below 0x80 as for sha256Ascii).
 */
export function sha256Words(data: Uint8Array | string, out: Int32Array, o: number): void {
  if (typeof data === 'string') hashOf(null, data);
  else hashOf(data, null);
  out.set(H, o);
}

/** A tag byte and a message, one after the other (taggedWords). */
let tagged = new Uint8Array(1024);

/**
 * SHA-256(tag ‖ m) as eight big-endian words written to out[o..o+8): a Merkle leaf
 * (crypto/merkle/hash.go leafHash, tag 0) without building the concatenation.
 */
export function taggedWords(tag: number, m: Uint8Array, out: Int32Array, o: number): void {
  if (m.length >= tagged.length) tagged = new Uint8Array(2 * m.length + 1);
  tagged[0] = tag;
  tagged.set(m, 1);
  hashOf(tagged, null, m.length + 1);
  out.set(H, o);
}

/** Big-endian words w[o..o+8) as 32 bytes. */
export function wordsToBytes(w: Int32Array, o: number): Uint8Array {
  const out = new Uint8Array(32);
  for (let j = 0; j < 8; j++) {
    const v = w[o + j]!;
    out[4 * j] = v >>> 24; out[4 * j + 1] = (v >>> 16) & 0xff; out[4 * j + 2] = (v >>> 8) & 0xff; out[4 * j + 3] = v & 0xff;
  }
  return out;
}

/**
 * K[i] + W[i] of the second block of every 65-byte message, by its last byte v: that block is
 * v, 0x80, zeros and the length 520, so its message schedule depends on v alone (§6.2.2).
 */
const KW65 = new Int32Array(256 * 64);
for (let v = 0; v < 256; v++) {
  W.fill(0);
  W[0] = (v << 24) | 0x800000;
  W[15] = 520;
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!, y = W[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (s1 + W[i - 7]! + s0 + W[i - 16]!) | 0;
  }
  for (let i = 0; i < 64; i++) KW65[64 * v + i] = (K[i]! + W[i]!) | 0;
}

/** The 64 rounds of §6.2.2 into H with K[i] + W[i] taken from KW65 at `base`. */
function compressKW(base: number): void {
  let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + (g ^ (e & (f ^ g))) + KW65[base + i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) | (c & (a | b)))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0;
    d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0; H[1] = (H[1]! + b) | 0; H[2] = (H[2]! + c) | 0; H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0; H[5] = (H[5]! + f) | 0; H[6] = (H[6]! + g) | 0; H[7] = (H[7]! + h) | 0;
}

/**
 * nodeHash over words: SHA-256(tag ‖ A ‖ B) for the 32-byte strings held as big-endian words
 * in a[ao..ao+8) and b[bo..bo+8), its digest written as words to out[o..o+8) (which may be
 * either input: both are read before anything is written).
 */
export function nodeHashWords(tag: number, a: Int32Array, ao: number, b: Int32Array, bo: number, out: Int32Array, o: number): void {
  let prev = tag;
  for (let j = 0; j < 8; j++) {
    const w = a[ao + j]!;
    W[j] = (prev << 24) | (w >>> 8);
    prev = w;
  }
  for (let j = 0; j < 8; j++) {
    const w = b[bo + j]!;
    W[8 + j] = (prev << 24) | (w >>> 8);
    prev = w;
  }
  H.set(IV);
  compress();
  compressKW(64 * (prev & 0xff));
  out.set(H, o);
}

/**
 * SHA-256(tag ‖ a ‖ b) for one tag byte and two 32-byte strings (a Merkle inner node, or the
 * ledger's §7.2 leaf), written into `out` when given (which may not be `a` or `b`).
 */
export function nodeHash(tag: number, a: Uint8Array, b: Uint8Array, out?: Uint8Array): Uint8Array {
  if (a.length !== 32 || b.length !== 32) throw new RangeError('nodeHash takes two 32-byte strings');
  TAIL[0] = tag;
  TAIL.set(a, 1);
  TAIL.set(b, 33); // b[31] lands in TAIL[64], past the first block
  H.set(IV);
  loadBytes(TAIL, 0);
  compress();
  compressKW(64 * b[31]!); // the second block: b[31], 0x80, zeros, the length 520
  return digest(out);
}
