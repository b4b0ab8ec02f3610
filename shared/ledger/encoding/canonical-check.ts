// A one-pass check that JSON text is already canonical (PROTOCOL.md §2.2), so parseCanonical
// need not re-encode what it parsed to compare. It is conservative: true only for text that is
// exactly canonicalString(JSON.parse(text)); false means "not shown here", and the caller then
// decides the slow way (re-encode and compare), which also gives the exact refusal. It accepts:
// no whitespace; object members in strictly increasing key order (UTF-16 code units, RFC 8785
// §3.2.3), keys without escapes; strings as JSON.stringify writes them (RFC 8785 §3.2.2.2: only
// `"` `\` and U+0000–U+001F escaped, as \b \t \n \f \r or \u00xx lower-case; no lone
// surrogates); integers 0 or -?[1-9][0-9]* within ±(2^53−1); true, false; nesting ≤ 32.

let t = '';
let pos = 0;
/** Whether the last string scanned had an escape. */
let escaped = false;

const MAX_SAFE = '9007199254740991';

export function isCanonicalText(text: string): boolean {
  t = text;
  pos = 0;
  const ok = value(0) && pos === t.length;
  t = '';
  return ok;
}

function value(depth: number): boolean {
  if (depth > 32) return false;
  const c = t.charCodeAt(pos);
  if (c === 0x7b) return object(depth);
  if (c === 0x5b) return array(depth);
  if (c === 0x22) return string();
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return number();
  if (c === 0x74 && t.startsWith('true', pos)) { pos += 4; return true; }
  if (c === 0x66 && t.startsWith('false', pos)) { pos += 5; return true; }
  return false;
}

function object(depth: number): boolean {
  pos++;
  if (t.charCodeAt(pos) === 0x7d) { pos++; return true; }
  let prevStart = -1, prevEnd = -1;
  for (;;) {
    if (t.charCodeAt(pos) !== 0x22) return false;
    const start = pos + 1;
    if (!string() || escaped) return false;
    const end = pos - 1;
    if (prevStart >= 0 && !before(prevStart, prevEnd, start, end)) return false;
    prevStart = start; prevEnd = end;
    if (t.charCodeAt(pos) !== 0x3a) return false;
    pos++;
    if (!value(depth + 1)) return false;
    const c = t.charCodeAt(pos++);
    if (c === 0x7d) return true;
    if (c !== 0x2c) return false;
  }
}

/** t[a..ae) < t[b..be) in UTF-16 code units. */
function before(a: number, ae: number, b: number, be: number): boolean {
  for (; a < ae && b < be; a++, b++) {
    const x = t.charCodeAt(a), y = t.charCodeAt(b);
    if (x !== y) return x < y;
  }
  return a === ae && b < be;
}

function array(depth: number): boolean {
  pos++;
  if (t.charCodeAt(pos) === 0x5d) { pos++; return true; }
  for (;;) {
    if (!value(depth + 1)) return false;
    const c = t.charCodeAt(pos++);
    if (c === 0x5d) return true;
    if (c !== 0x2c) return false;
  }
}

const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x62, 0x66, 0x6e, 0x72, 0x74]); // " \ b f n r t
const isLowerHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
const hexValue = (c: number): number => (c <= 0x39 ? c - 0x30 : c - 0x57);

function string(): boolean {
  escaped = false;
  pos++;
  const n = t.length;
  while (pos < n) {
    const c = t.charCodeAt(pos++);
    if (c === 0x22) return true;
    if (c === 0x5c) {
      escaped = true;
      const e = t.charCodeAt(pos++);
      if (SHORT_ESCAPES.has(e)) continue;
      if (e !== 0x75 || t.charCodeAt(pos) !== 0x30 || t.charCodeAt(pos + 1) !== 0x30) return false;
      const h = t.charCodeAt(pos + 2), l = t.charCodeAt(pos + 3);
      if (!isLowerHex(h) || !isLowerHex(l)) return false;
      const v = 16 * hexValue(h) + hexValue(l);
      // JSON.stringify escapes only controls, and these five with their short forms.
      if (v >= 0x20 || v === 0x08 || v === 0x09 || v === 0x0a || v === 0x0c || v === 0x0d) return false;
      pos += 4;
    } else if (c < 0x20) {
      return false;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = t.charCodeAt(pos);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return false;
      pos++;
    }
  }
  return false;
}

function number(): boolean {
  const start = pos;
  if (t.charCodeAt(pos) === 0x2d) pos++;
  const first = pos;
  const c = t.charCodeAt(pos);
  if (c === 0x30) {
    if (first !== start) return false; // "-0" is written "0"
    pos++;
    return true;
  }
  if (!(c >= 0x31 && c <= 0x39)) return false;
  while (pos < t.length && t.charCodeAt(pos) >= 0x30 && t.charCodeAt(pos) <= 0x39) pos++;
  const digits = pos - first;
  return digits < 16 || (digits === 16 && t.slice(first, pos) <= MAX_SAFE);
}
