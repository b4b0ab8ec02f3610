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
  return objectMembers(b, start).members;
}

/** The value span of each member of the object whose `{` is at `start`, and the index just past its `}`. */
export function objectMembers(b: Uint8Array, start: number): { members: Map<string, Span>; end: number } {
  const out = new Map<string, Span>();
  let i = skipWs(b, start);
  if (b[i] !== LBRACE) throw new SyntaxError('expected an object');
  i = skipWs(b, i + 1);
  if (b[i] === RBRACE) return { members: out, end: i + 1 };
  for (;;) {
    const kEnd = skipString(b, i);
    const key = JSON.parse(decoder.decode(b.subarray(i, kEnd))) as string;
    i = skipWs(b, kEnd);
    if (b[i] !== COLON) throw new SyntaxError('expected a colon');
    i = skipWs(b, i + 1);
    const vEnd = skipValue(b, i);
    out.set(key, [i, vEnd]);
    i = skipWs(b, vEnd);
    if (b[i] === RBRACE) return { members: out, end: i + 1 };
    if (b[i] !== COMMA) throw new SyntaxError('expected a comma');
    i = skipWs(b, i + 1);
  }
}

/** Start index of each element of the array whose `[` is at `start`. */
export function elementStarts(b: Uint8Array, start: number): number[] {
  return arrayElements(b, start).map((e) => e.start);
}

/**
 * Each element of the array whose `[` is at `start`, in one pass: its start and, for an object,
 * its members' value spans (the object is walked once, not skipped and then walked again).
 */
export function arrayElements(b: Uint8Array, start: number): { start: number; members?: Map<string, Span> }[] {
  const out: { start: number; members?: Map<string, Span> }[] = [];
  let i = skipWs(b, start);
  if (b[i] !== LBRACKET) throw new SyntaxError('expected an array');
  i = skipWs(b, i + 1);
  if (b[i] === RBRACKET) return out;
  for (;;) {
    if (b[i] === LBRACE) {
      const o = objectMembers(b, i);
      out.push({ start: i, members: o.members });
      i = skipWs(b, o.end);
    } else {
      out.push({ start: i });
      i = skipWs(b, skipValue(b, i));
    }
    if (b[i] === RBRACKET) return out;
    if (b[i] !== COMMA) throw new SyntaxError('expected a comma');
    i = skipWs(b, i + 1);
  }
}

const encoder = new TextEncoder();
/** Buffer's indexOf with a byte-string needle (memmem-like search) on any Uint8Array. */
const bufferIndexOfBytes = Buffer.prototype.indexOf as (this: Uint8Array, value: Uint8Array, byteOffset?: number) => number;

/**
 * The spans of the `result` objects of a batch answer laid out exactly as CometBFT writes one
 * (rpc/jsonrpc/server: json.Marshal of the response array, in request order):
 *
 *   [{"jsonrpc":"2.0","id":ID0,"result":{...}},{"jsonrpc":"2.0","id":ID1,"result":{...}},...]
 *
 * found with a byte search for each envelope's literal head instead of a scan of every byte.
 * undefined when the body is not laid out so (errors, other ids or order, whitespace: the caller
 * takes the general path). The spans are candidates: they are right only if each one parses as
 * a JSON value by itself. Then the body is exactly these envelopes around these values (the first
 * result starts at a known place; a slice that starts at a value's first `{` and parses ends at
 * the `}` matching it, so the next literal head is real, and so on), and parsing it whole would
 * give the same values. A caller that finds a span that does not parse takes the general path.
 */
export function compactBatchSpans(b: Uint8Array, ids: readonly number[]): Span[] | undefined {
  const n = ids.length;
  if (n === 0 || b.length < 2 || b[0] !== LBRACKET || b[b.length - 1] !== RBRACKET) return undefined;
  const spans: Span[] = [];
  let at = 1;
  let head = encoder.encode(`{"jsonrpc":"2.0","id":${ids[0]!},"result":`);
  for (let i = 0; i < n; i++) {
    if (!bytesAt(b, at, head)) return undefined;
    const from = at + head.length;
    let to: number;
    if (i + 1 < n) {
      const next = encoder.encode(`},{"jsonrpc":"2.0","id":${ids[i + 1]!},"result":`);
      const k = bufferIndexOfBytes.call(b, next, from);
      if (k < 0) return undefined;
      to = k;
      at = k + 2;
      head = next.subarray(2);
    } else {
      to = b.length - 2;
      if (to < from || b[to] !== RBRACE) return undefined;
    }
    // results are objects; no whitespace around them in this layout
    if (to - from < 2 || b[from] !== LBRACE || b[to - 1] !== RBRACE) return undefined;
    spans.push([from, to]);
  }
  return spans;
}

function bytesAt(b: Uint8Array, at: number, s: Uint8Array): boolean {
  if (at + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s[i]) return false;
  return true;
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
