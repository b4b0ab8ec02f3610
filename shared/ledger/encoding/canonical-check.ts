// A one-pass check that JSON text is already canonical (PROTOCOL.md §2.2), so parseCanonical
// need not re-encode what it parsed to compare. It is conservative: true only for text that is
// exactly canonicalString(JSON.parse(text)); false means "not shown here", and the caller then
// decides the slow way (re-encode and compare), which also gives the exact refusal. It accepts:
// no whitespace; object members in strictly increasing key order (UTF-16 code units, RFC 8785
// §3.2.3), keys without escapes; strings as JSON.stringify writes them (RFC 8785 §3.2.2.2: only
// `"` `\` and U+0000–U+001F escaped, as \b \t \n \f \r or \u00xx lower-case; no lone
// surrogates); integers 0 or -?[1-9][0-9]* within ±(2^53−1); true, false; nesting ≤ 32.

// Each reader takes the text and a position and returns the position after what it read, or -1.
// (Locals throughout: module-level state in these loops costs a third of the time.)

/** Whether the last string read had an escape (object keys must not). */
let escaped = false;

const MAX_SAFE = '9007199254740991';

export function isCanonicalText(text: string): boolean {
  return value(text, 0, 0) === text.length;
}

function value(t: string, pos: number, depth: number): number {
  if (depth > 32) return -1;
  const c = t.charCodeAt(pos);
  if (c === 0x7b) return object(t, pos, depth);
  if (c === 0x5b) return array(t, pos, depth);
  if (c === 0x22) return string(t, pos);
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return number(t, pos);
  if (c === 0x74 && t.startsWith('true', pos)) return pos + 4;
  if (c === 0x66 && t.startsWith('false', pos)) return pos + 5;
  return -1;
}

function object(t: string, pos: number, depth: number): number {
  pos++;
  if (t.charCodeAt(pos) === 0x7d) return pos + 1;
  let prevStart = -1, prevEnd = -1;
  for (;;) {
    if (t.charCodeAt(pos) !== 0x22) return -1;
    const start = pos + 1;
    pos = string(t, pos);
    if (pos < 0 || escaped) return -1;
    const end = pos - 1;
    if (prevStart >= 0 && !before(t, prevStart, prevEnd, start, end)) return -1;
    prevStart = start; prevEnd = end;
    if (t.charCodeAt(pos) !== 0x3a) return -1;
    pos = value(t, pos + 1, depth + 1);
    if (pos < 0) return -1;
    const c = t.charCodeAt(pos++);
    if (c === 0x7d) return pos;
    if (c !== 0x2c) return -1;
  }
}

/** t[a..ae) < t[b..be) in UTF-16 code units. */
function before(t: string, a: number, ae: number, b: number, be: number): boolean {
  for (; a < ae && b < be; a++, b++) {
    const x = t.charCodeAt(a), y = t.charCodeAt(b);
    if (x !== y) return x < y;
  }
  return a === ae && b < be;
}

function array(t: string, pos: number, depth: number): number {
  pos++;
  if (t.charCodeAt(pos) === 0x5d) return pos + 1;
  for (;;) {
    pos = value(t, pos, depth + 1);
    if (pos < 0) return -1;
    const c = t.charCodeAt(pos++);
    if (c === 0x5d) return pos;
    if (c !== 0x2c) return -1;
  }
}

const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x62, 0x66, 0x6e, 0x72, 0x74]); // " \ b f n r t
const isLowerHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
const hexValue = (c: number): number => (c <= 0x39 ? c - 0x30 : c - 0x57);

function string(t: string, pos: number): number {
  const n = t.length;
  let p = pos + 1;
  escaped = false;
  while (p < n) {
    const c = t.charCodeAt(p++);
    if (c === 0x22) return p;
    if (c === 0x5c) {
      escaped = true;
      const e = t.charCodeAt(p++);
      if (SHORT_ESCAPES.has(e)) continue;
      if (e !== 0x75 || t.charCodeAt(p) !== 0x30 || t.charCodeAt(p + 1) !== 0x30) return -1;
      const h = t.charCodeAt(p + 2), l = t.charCodeAt(p + 3);
      if (!isLowerHex(h) || !isLowerHex(l)) return -1;
      const v = 16 * hexValue(h) + hexValue(l);
      // JSON.stringify escapes only controls, and these five with their short forms.
      if (v >= 0x20 || v === 0x08 || v === 0x09 || v === 0x0a || v === 0x0c || v === 0x0d) return -1;
      p += 4;
    } else if (c < 0x20) {
      return -1;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = t.charCodeAt(p);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return -1;
      p++;
    }
  }
  return -1;
}

function number(t: string, pos: number): number {
  const start = pos;
  if (t.charCodeAt(pos) === 0x2d) pos++;
  const first = pos;
  const c = t.charCodeAt(pos);
  if (c === 0x30) return first !== start ? -1 : pos + 1; // "-0" is written "0"
  if (!(c >= 0x31 && c <= 0x39)) return -1;
  while (pos < t.length && t.charCodeAt(pos) >= 0x30 && t.charCodeAt(pos) <= 0x39) pos++;
  const digits = pos - first;
  return digits < 16 || (digits === 16 && t.slice(first, pos) <= MAX_SAFE) ? pos : -1;
}
