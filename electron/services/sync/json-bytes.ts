// Byte-exact pieces of a JSON text, so the replica keeps what the node served and not a
// re-serialization: the byte span of a member's value, and Go's json.Compact (whitespace
// outside strings removed, every other byte kept, escapes included).
//
// These scanners assume the text is valid JSON (callers JSON.parse it first); JSON's
// structural characters are ASCII, so scanning UTF-8 bytes is safe.

export type Span = readonly [from: number, to: number];

const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d, COMMA = 0x2c, COLON = 0x3a;

function isWs(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function skipWs(b: Uint8Array, i: number): number {
  while (isWs(b[i])) i++;
  return i;
}

/** Buffer's indexOf (memchr) works on any Uint8Array and is many times faster than the typed array's on long runs. */
const bufferIndexOf = Buffer.prototype.indexOf as (this: Uint8Array, value: number, byteOffset?: number) => number;
/** Strings up to this long are scanned in the loop; past it, quotes are found with memchr. */
const SHORT = 32;

/** Index just past the string starting at the quote at i. */
function skipString(b: Uint8Array, i: number): number {
  let j = i + 1;
  const end = Math.min(b.length, j + SHORT);
  for (; j < end; j++) {
    const c = b[j];
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  // A long string (base64 transactions, event values): find the next quote, then count the
  // backslashes right before it; an odd count escapes it.
  for (;;) {
    const q = bufferIndexOf.call(b, QUOTE, j);
    if (q < 0) throw new SyntaxError('unterminated string');
    let n = 0;
    for (let k = q - 1; k > i && b[k] === BACKSLASH; k--) n++;
    if ((n & 1) === 0) return q + 1;
    j = q + 1;
  }
}

/** Index just past the JSON value starting at i (no leading whitespace). */
export function skipValue(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    for (; i < b.length; i++) {
      const d = b[i];
      if (d === QUOTE) i = skipString(b, i) - 1;
      else if (d === LBRACE || d === LBRACKET) depth++;
      else if (d === RBRACE || d === RBRACKET) {
        if (--depth === 0) return i + 1;
      }
    }
    throw new SyntaxError('unterminated container');
  }
  // number, true, false, null: up to the next delimiter
  while (i < b.length && !isWs(b[i]) && b[i] !== COMMA && b[i] !== RBRACE && b[i] !== RBRACKET) i++;
  return i;
}

const decoder = new TextDecoder();

/** The value span of each member of the object whose `{` is at `start`. */
export function memberSpans(b: Uint8Array, start: number): Map<string, Span> {
  const out = new Map<string, Span>();
  let i = skipWs(b, start);
  if (b[i] !== LBRACE) throw new SyntaxError('expected an object');
  i = skipWs(b, i + 1);
  if (b[i] === RBRACE) return out;
  for (;;) {
    const kEnd = skipString(b, i);
    const key = JSON.parse(decoder.decode(b.subarray(i, kEnd))) as string;
    i = skipWs(b, kEnd);
    if (b[i] !== COLON) throw new SyntaxError('expected a colon');
    i = skipWs(b, i + 1);
    const vEnd = skipValue(b, i);
    out.set(key, [i, vEnd]);
    i = skipWs(b, vEnd);
    if (b[i] === RBRACE) return out;
    if (b[i] !== COMMA) throw new SyntaxError('expected a comma');
    i = skipWs(b, i + 1);
  }
}

/** Start index of each element of the array whose `[` is at `start`. */
export function elementStarts(b: Uint8Array, start: number): number[] {
  const out: number[] = [];
  let i = skipWs(b, start);
  if (b[i] !== LBRACKET) throw new SyntaxError('expected an array');
  i = skipWs(b, i + 1);
  if (b[i] === RBRACKET) return out;
  for (;;) {
    out.push(i);
    i = skipWs(b, skipValue(b, i));
    if (b[i] === RBRACKET) return out;
    if (b[i] !== COMMA) throw new SyntaxError('expected a comma');
    i = skipWs(b, i + 1);
  }
}

/** Go encoding/json Compact: drop insignificant whitespace, keep every other byte as is. */
export function compactJson(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === QUOTE) {
      const end = skipString(b, i);
      out.set(b.subarray(i, end), n);
      n += end - i;
      i = end - 1;
    } else if (!isWs(c)) out[n++] = c;
  }
  return out.slice(0, n);
}
