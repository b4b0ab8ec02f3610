// Strict UTF-8 (RFC 3629) in plain TypeScript. The host's TextDecoder / TextEncoder (shared/globals.d.ts)
// are used only where they give exactly the same result (…Fast, …WellFormed), being much faster.
// PROTOCOL.md §2.1: transaction bytes are UTF-8; overlong forms, surrogate code points and
// values above U+10FFFF are rejected.

/** Encodes a well-formed string (lone surrogates throw) as UTF-8. */
export function utf8Encode(s: string): Uint8Array {
  // Fast path: ASCII only, in one pass.
  const n = s.length;
  const ascii = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return utf8EncodeAny(s);
    ascii[i] = c;
  }
  return ascii;
}

const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : null;

/** UTF-8 of a string known to be well-formed (no lone surrogates, e.g. canonical JSON text), through the host's encoder where there is one. */
export function utf8EncodeWellFormed(s: string): Uint8Array {
  return encoder ? encoder.encode(s) : utf8Encode(s);
}

function utf8EncodeAny(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) throw new Error(`lone surrogate at index ${i}`);
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      throw new Error(`lone surrogate at index ${i}`);
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

const ASCII_CHUNK = 8192;

/** The host's WHATWG decoder where there is one: fatal UTF-8 is exactly the strict decoding below. */
const native = typeof TextDecoder === 'function' ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : null;

/** utf8Decode, through the host's decoder when it accepts the bytes (invalid ones: utf8Decode's error). */
export function utf8DecodeFast(b: Uint8Array): string {
  if (native) {
    try {
      return native.decode(b);
    } catch {
      // fall through for utf8Decode's exact message
    }
  }
  return utf8Decode(b);
}

/** Decodes strict UTF-8; throws with the byte offset of the first invalid sequence. */
export function utf8Decode(b: Uint8Array): string {
  // Fast path: ASCII only (every byte below 0x80 is its own code point).
  let ascii = true;
  for (let i = 0; i < b.length; i++) if (b[i]! > 0x7f) { ascii = false; break; }
  if (ascii) {
    if (b.length <= ASCII_CHUNK) return String.fromCharCode.apply(null, b as unknown as number[]);
    const parts: string[] = [];
    for (let i = 0; i < b.length; i += ASCII_CHUNK) parts.push(String.fromCharCode.apply(null, b.subarray(i, i + ASCII_CHUNK) as unknown as number[]));
    return parts.join('');
  }
  const parts: string[] = [];
  let codes: number[] = [];
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    let cp: number;
    let n: number;
    if (c < 0x80) { cp = c; n = 1; }
    else if (c >= 0xc2 && c <= 0xdf) { cp = c & 0x1f; n = 2; }
    else if (c >= 0xe0 && c <= 0xef) { cp = c & 0x0f; n = 3; }
    else if (c >= 0xf0 && c <= 0xf4) { cp = c & 0x07; n = 4; }
    else throw new Error(`invalid UTF-8 lead byte at offset ${i}`);
    if (i + n > b.length) throw new Error(`truncated UTF-8 sequence at offset ${i}`);
    for (let j = 1; j < n; j++) {
      const cc = b[i + j]!;
      if ((cc & 0xc0) !== 0x80) throw new Error(`invalid UTF-8 continuation at offset ${i + j}`);
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((n === 3 && cp < 0x800) || (n === 4 && (cp < 0x10000 || cp > 0x10ffff))) {
      throw new Error(`overlong or out-of-range UTF-8 at offset ${i}`);
    }
    if (cp >= 0xd800 && cp <= 0xdfff) throw new Error(`UTF-8 encoded surrogate at offset ${i}`);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      codes.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else {
      codes.push(cp);
    }
    i += n;
    if (codes.length >= 8192) { parts.push(String.fromCharCode(...codes)); codes = []; }
  }
  parts.push(String.fromCharCode(...codes));
  return parts.join('');
}
