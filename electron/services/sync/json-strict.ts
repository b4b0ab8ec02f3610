// A strict JSON validator over ASCII bytes that builds nothing: it accepts exactly the texts
// JSON.parse accepts (RFC 8259: ws = space, tab, LF, CR; strings without control characters and
// with the escapes \" \\ \/ \b \f \n \r \t \uXXXX; numbers -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?;
// true, false, null), for the parts of a payload the sync checks for validity but never reads.
// Non-ASCII bytes are refused (callers take JSON.parse then), so UTF-8 is not its concern.

const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d, COMMA = 0x2c, COLON = 0x3a;

/** 1: a byte that may stand unescaped in a string (0x20..0x7f except `"` and `\`). */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) PLAIN[c] = c === QUOTE || c === BACKSLASH ? 0 : 1;
/** 1: the byte after a backslash of a one-character escape. */
const ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPE[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

export function skipWs(b: Uint8Array, i: number, end: number): number {
  for (; i < end; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
  }
  return i;
}

/** Index just past the string whose quote is at i, or -1 when it is not a valid JSON string. */
export function strictString(b: Uint8Array, i: number, end: number): number {
  i++;
  for (;;) {
    // no bound in the loop: a read past the array is undefined, which is not PLAIN (past `end` is refused below)
    while (PLAIN[b[i]!] === 1) i++;
    if (i >= end) return -1;
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c !== BACKSLASH) return -1; // a control character or a non-ASCII byte
    const e = b[i + 1]!;
    if (ESCAPE[e] === 1) i += 2;
    else if (e === 0x75 && i + 5 < end && HEX[b[i + 2]!] === 1 && HEX[b[i + 3]!] === 1 && HEX[b[i + 4]!] === 1 && HEX[b[i + 5]!] === 1) i += 6;
    else return -1;
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function digits(b: Uint8Array, i: number, end: number): number {
  while (i < end && isDigit(b[i])) i++;
  return i;
}

/** Index just past the number at i, or -1. */
function strictNumber(b: Uint8Array, i: number, end: number): number {
  if (b[i] === 0x2d) i++;
  if (i >= end || !isDigit(b[i])) return -1;
  i = b[i] === 0x30 ? i + 1 : digits(b, i, end);
  if (i < end && b[i] === 0x2e) {
    if (!isDigit(b[i + 1]) || i + 1 >= end) return -1;
    i = digits(b, i + 1, end);
  }
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    if (i >= end || !isDigit(b[i])) return -1;
    i = digits(b, i, end);
  }
  return i;
}

/** One scalar (string, number, literal) at i: index past it, or -1. */
function scalar(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === QUOTE) return strictString(b, i, end);
  // true, false, null
  if (c === 0x74) return i + 4 <= end && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65 ? i + 4 : -1;
  if (c === 0x66) return i + 5 <= end && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65 ? i + 5 : -1;
  if (c === 0x6e) return i + 4 <= end && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c ? i + 4 : -1;
  return strictNumber(b, i, end);
}

/**
 * Index just past the JSON value that starts at i (no leading whitespace), or -1 when the bytes
 * from i are not a valid value (or run past end). Iterative: nesting depth costs no stack.
 */
export function skipStrict(b: Uint8Array, i: number, end: number): number {
  if (i >= end) return -1;
  if (b[i] !== LBRACE && b[i] !== LBRACKET) return scalar(b, i, end);
  // open containers, innermost last: the closing byte each one expects
  let depth = 0;
  for (;;) {
    // a value at i
    if (i >= end) return -1;
    const c = b[i];
    if (c === LBRACE || c === LBRACKET) {
      const close = c === LBRACE ? RBRACE : RBRACKET;
      i = skipWs(b, i + 1, end);
      if (b[i] === close && i < end) {
        i++;
      } else {
        if (depth === stack.length) grow();
        stack[depth++] = close;
        if (close === RBRACE) {
          i = memberKey(b, i, end);
          if (i < 0) return -1;
        }
        continue;
      }
    } else {
      i = scalar(b, i, end);
      if (i < 0) return -1;
    }
    // after a value: close containers, or go on to the next element or member
    for (;;) {
      if (depth === 0) return i;
      i = skipWs(b, i, end);
      if (i >= end) return -1;
      const d = b[i];
      const close = stack[depth - 1];
      if (d === COMMA) {
        i = skipWs(b, i + 1, end);
        if (close === RBRACE) {
          i = memberKey(b, i, end);
          if (i < 0) return -1;
        }
        break;
      }
      if (d !== close) return -1;
      depth--;
      i++;
    }
  }
}

/** The open containers' closing bytes (one validation at a time: the scan is synchronous). */
let stack = new Uint8Array(64);

function grow(): void {
  const s = new Uint8Array(stack.length * 2);
  s.set(stack);
  stack = s;
}

/** A member's key and colon at i: the index of its value (whitespace skipped), or -1. */
function memberKey(b: Uint8Array, i: number, end: number): number {
  if (b[i] !== QUOTE) return -1;
  i = strictString(b, i, end);
  if (i < 0) return -1;
  i = skipWs(b, i, end);
  if (b[i] !== COLON || i >= end) return -1;
  return skipWs(b, i + 1, end);
}

/** Whether b[from, to) is exactly one JSON value, whitespace around it allowed (JSON.parse's rule). */
export function isStrictJson(b: Uint8Array, from = 0, to = b.length): boolean {
  const i = skipWs(b, from, to);
  const j = skipStrict(b, i, to);
  return j >= 0 && skipWs(b, j, to) === to;
}
