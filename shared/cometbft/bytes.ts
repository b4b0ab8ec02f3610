// Byte helpers without Buffer (shared/ is host-neutral).

const HEX = '0123456789ABCDEF';
/** Upper-case hex of every byte value, and the value of every hex digit (-1: not one). */
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, b) => HEX[b >> 4]! + HEX[b & 15]!);
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  DIGIT['0123456789abcdef'.charCodeAt(i)] = i;
  DIGIT[HEX.charCodeAt(i)] = i;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_HEX[bytes[i]!]!;
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const bad = () => new Error(`not hex: ${JSON.stringify(hex.slice(0, 16))}`);
  if (hex.length % 2 !== 0) throw bad();
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const a = hex.charCodeAt(2 * i), b = hex.charCodeAt(2 * i + 1);
    const hi = a < 128 ? DIGIT[a]! : -1, lo = b < 128 ? DIGIT[b]! : -1;
    if (hi < 0 || lo < 0) throw bad();
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Sextet of every code unit below 256 (-1: not in the alphabet, '=' included). */
const SEXTET = new Int8Array(256).fill(-1);
for (let i = 0; i < B64.length; i++) SEXTET[B64.charCodeAt(i)] = i;

/** Padded standard base64 (RFC 4648 §4), as fromBase64Exact, four characters at a time. */
export function fromBase64(s: string): Uint8Array {
  const n = s.length;
  const pad = n >= 2 && s.charCodeAt(n - 1) === 61 ? (s.charCodeAt(n - 2) === 61 ? 2 : 1) : 0;
  // Anything out of the ordinary (bad length, characters, padding) takes the exact path and its error.
  if (n % 4 !== 0 || n === 0) return fromBase64Exact(s);
  const out = new Uint8Array((n / 4) * 3 - pad);
  const full = pad ? n - 4 : n;
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const c0 = s.charCodeAt(i), c1 = s.charCodeAt(i + 1), c2 = s.charCodeAt(i + 2), c3 = s.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) > 255) return fromBase64Exact(s);
    const a = SEXTET[c0]!, b = SEXTET[c1]!, c = SEXTET[c2]!, d = SEXTET[c3]!;
    if ((a | b | c | d) < 0) return fromBase64Exact(s);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o] = v >> 16; out[o + 1] = (v >> 8) & 255; out[o + 2] = v & 255;
    o += 3;
  }
  if (pad) {
    const c0 = s.charCodeAt(n - 4), c1 = s.charCodeAt(n - 3), c2 = pad === 2 ? 0x41 : s.charCodeAt(n - 2);
    if ((c0 | c1 | c2) > 255) return fromBase64Exact(s);
    const a = SEXTET[c0]!, b = SEXTET[c1]!, c = pad === 2 ? 0 : SEXTET[c2]!;
    if ((a | b | c) < 0) return fromBase64Exact(s);
    const v = (a << 18) | (b << 12) | (c << 6);
    out[o] = v >> 16;
    if (pad === 1) out[o + 1] = (v >> 8) & 255;
  }
  return out;
}

/** The reference decoder, one character at a time; every refusal names its reason and place. */
export function fromBase64Exact(s: string): Uint8Array {
  if (s.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j);
      const v = c === 61 && i + j >= s.length - pad ? 0 : c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) throw new Error(`invalid base64 character at ${i + j}`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    s += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=';
    s += i + 2 < bytes.length ? B64[n & 63]! : '=';
  }
  return s;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const enc = new TextEncoder();
export function utf8(s: string): Uint8Array {
  return enc.encode(s);
}
