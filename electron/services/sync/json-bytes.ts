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

/** Index just past the string starting at the quote at i. */
function skipString(b: Uint8Array, i: number): number {
  for (i++; i < b.length; i++) {
    const c = b[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  throw new SyntaxError('unterminated string');
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
