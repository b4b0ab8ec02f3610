// PROTOCOL.md §2.7's key rule (isValidKey: @noble/curves Point.fromBytes with zip215 = false,
// RFC 8032 §5.1.3, then not of small order) without computing the point. On the bytes alone:
// strict decoding refuses y ≥ p and x = 0 with the sign bit set, and the rule refuses the 8
// points of small order (keyEncodingAllowed). What is left is whether the point is on the curve,
// i.e. whether x² = u/v has a root (u = y² − 1, v = d·y² + 1, never 0), which keyValid decides
// with a Jacobi symbol, several times faster than the square root decoding computes. (OpenSSL's
// Ed25519 verify refuses a key off the curve by itself: electron/services/verify/native-rules.ts.)
import { fromHex, toHex } from '../../cometbft/bytes';

/**
 * Canonical encodings of the 8 points of small order (the torsion subgroup: y = 1, y = −1, the
 * two points with y = 0, and the four of order 8), and the 2 encodings of an x = 0 point with
 * the sign bit set (y = ±1), which strict decoding refuses.
 */
export const SMALL_ORDER_OR_BAD_SIGN = Object.freeze([
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '0100000000000000000000000000000000000000000000000000000000000080',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
]);

const REFUSED = SMALL_ORDER_OR_BAD_SIGN.map((h) => fromHex(h));

/** y (the low 255 bits, little-endian) is at least p = 2^255 − 19: bytes ed..ff ff…ff 7f (sign bit ignored). */
function yNotCanonical(pk: Uint8Array): boolean {
  if ((pk[31]! & 0x7f) !== 0x7f || pk[0]! < 0xed) return false;
  for (let i = 1; i < 31; i++) if (pk[i] !== 0xff) return false;
  return true;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * False when §2.7 refuses the key whatever the curve says (not 32 bytes, y ≥ p, x = 0 with the
 * sign bit, small order). True otherwise: the key is then valid exactly when it is on the curve.
 */
export function keyEncodingAllowed(pk: Uint8Array): boolean {
  if (pk.length !== 32 || yNotCanonical(pk)) return false;
  for (const r of REFUSED) if (pk[0] === r[0] && same(pk, r)) return false;
  return true;
}

const P = (1n << 255n) - 19n;
/** RFC 8032 §5.1: d = −121665/121666 mod p. */
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;

/** The Jacobi symbol (a/n), n odd and positive (the binary algorithm). */
function jacobi(a: bigint, n: bigint): number {
  a %= n;
  let t = 1;
  while (a !== 0n) {
    while ((a & 1n) === 0n) {
      a >>= 1n;
      const r = n & 7n;
      if (r === 3n || r === 5n) t = -t;
    }
    [a, n] = [n, a];
    if ((a & 3n) === 3n && (n & 3n) === 3n) t = -t;
    a %= n;
  }
  return n === 1n ? t : 0;
}

/**
 * isValidKey on bytes, exactly: the encoding is allowed and the point is on the curve, i.e.
 * u/v is a square mod p, i.e. u·v is (u = 0 only for y = ±1, refused above).
 */
export function keyValid(pk: Uint8Array): boolean {
  if (!keyEncodingAllowed(pk)) return false;
  const be = new Uint8Array(32);
  for (let i = 0; i < 32; i++) be[i] = pk[31 - i]!;
  const y = BigInt(`0x${toHex(be)}`) & ((1n << 255n) - 1n);
  const y2 = (y * y) % P;
  const u = (y2 + P - 1n) % P;
  const v = (D * y2 + 1n) % P;
  return jacobi((u * v) % P, P) === 1;
}
