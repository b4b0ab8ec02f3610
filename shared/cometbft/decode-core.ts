// JSON-RPC field readers shared by the decoders. CometBFT's JSON (libs/json, rpc/jsonrpc/types):
// int64/uint64 as decimal strings, int32/uint32 as JSON numbers, []byte as padded base64,
// HexBytes (hashes, addresses) as hex. Every failure names the JSON path of the bad field.
import { fromBase64, fromHex } from './bytes';

export class DecodeError extends Error {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'DecodeError';
    this.path = path;
  }
}

export type Json = unknown;
export type JsonObject = Record<string, unknown>;

/** A short, safe rendering of a found value for error messages. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing (field missing)';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'an array';
  return 'an object';
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asObject(v: unknown, path: string): JsonObject {
  if (!isObject(v)) throw new DecodeError(path, `expected an object, found ${describe(v)}`);
  return v;
}

/** A required field (present, possibly null: the caller decides whether null is allowed). */
export function field(o: JsonObject, key: string, path: string): unknown {
  if (!(key in o)) throw new DecodeError(join(path, key), 'required field is missing');
  return o[key];
}

export function objectField(o: JsonObject, key: string, path: string): JsonObject {
  return asObject(field(o, key, path), join(path, key));
}

/** An array field; `null` (Go's nil slice) reads as empty when nullable. */
export function arrayField(o: JsonObject, key: string, path: string, nullable = true): unknown[] {
  const v = field(o, key, path);
  if (v === null && nullable) return [];
  if (!Array.isArray(v)) throw new DecodeError(join(path, key), `expected an array, found ${describe(v)}`);
  return v;
}

export function stringField(o: JsonObject, key: string, path: string): string {
  const v = field(o, key, path);
  if (typeof v !== 'string') throw new DecodeError(join(path, key), `expected a string, found ${describe(v)}`);
  return v;
}

/**
 * The `result` of a JSON-RPC envelope, or the value itself when it is a bare result. An
 * envelope carrying `error` (rpc/jsonrpc/types RPCError) is reported as a DecodeError.
 */
export function unwrapResult(json: unknown, path = 'result'): { value: unknown; path: string } {
  if (isObject(json) && ('jsonrpc' in json || 'result' in json || 'error' in json)) {
    const err = json['error'];
    if (err !== undefined && err !== null) {
      const e = isObject(err) ? err : {};
      const parts = [e['code'], e['message'], e['data']].filter((x) => x !== undefined && x !== '').map(String);
      throw new DecodeError('error', `the node answered with a JSON-RPC error: ${parts.join(' ') || describe(err)}`);
    }
    if (!('result' in json)) throw new DecodeError('result', 'required field is missing');
    return { value: json['result'], path: 'result' };
  }
  return { value: json, path };
}

// --- integers -----------------------------------------------------------------------------

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const CANONICAL_INT = /^(0|-?[1-9][0-9]*)$/;

/** int64 as CometBFT prints it: a canonical decimal string (no sign on 0, no leading zeros, no '+'). */
export function parseInt64(v: unknown, path: string): bigint {
  if (v === '0') return 0n; // gas_wanted and gas_used of nearly every tx result
  if (typeof v === 'string' && CANONICAL_INT.test(v)) {
    const n = BigInt(v);
    if (n >= INT64_MIN && n <= INT64_MAX) return n;
  }
  throw new DecodeError(path, `expected a decimal int64 string, found ${describe(v)}`);
}

export function parseUint64(v: unknown, path: string): bigint {
  if (typeof v === 'string' && CANONICAL_INT.test(v) && !v.startsWith('-')) {
    const n = BigInt(v);
    if (n <= UINT64_MAX) return n;
  }
  throw new DecodeError(path, `expected a decimal uint64 string, found ${describe(v)}`);
}

export function int64Field(o: JsonObject, key: string, path: string): bigint {
  return parseInt64(field(o, key, path), join(path, key));
}

/** A Go `int` encoded by libs/json as a decimal string (e.g. /validators count), as a safe JS number. */
export function intStringField(o: JsonObject, key: string, path: string): number {
  const p = join(path, key);
  const n = parseInt64(field(o, key, path), p);
  if (n < BigInt(Number.MIN_SAFE_INTEGER) || n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DecodeError(p, `expected a decimal integer string within ±2^53, found ${describe(o[key])}`);
  }
  return Number(n);
}

function numberIn(v: unknown, path: string, min: number, max: number, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  throw new DecodeError(path, `expected ${what} (a JSON number), found ${describe(v)}`);
}

export function int32Field(o: JsonObject, key: string, path: string): number {
  return numberIn(field(o, key, path), join(path, key), -0x80000000, 0x7fffffff, 'an int32');
}

export function uint32Field(o: JsonObject, key: string, path: string): number {
  return numberIn(field(o, key, path), join(path, key), 0, 0xffffffff, 'a uint32');
}

// --- bytes --------------------------------------------------------------------------------

/** []byte: padded standard base64 (encoding/json); null (nil slice) is empty when nullable. */
export function parseBase64(v: unknown, path: string, nullable = true): Uint8Array {
  if (v === null && nullable) return new Uint8Array(0);
  if (typeof v !== 'string') throw new DecodeError(path, `expected a base64 string, found ${describe(v)}`);
  try {
    return fromBase64(v);
  } catch (e) {
    throw new DecodeError(path, `expected a base64 string, found ${describe(v)} (${(e as Error).message})`);
  }
}

export function base64Field(o: JsonObject, key: string, path: string, nullable = true): Uint8Array {
  return parseBase64(field(o, key, path), join(path, key), nullable);
}

/** HexBytes (libs/bytes/bytes.go UnmarshalJSON): hex in either case; "" is empty. */
export function parseHex(v: unknown, path: string, sizes?: readonly number[]): Uint8Array {
  if (typeof v !== 'string') throw new DecodeError(path, `expected a hex string, found ${describe(v)}`);
  let out: Uint8Array;
  try {
    out = fromHex(v);
  } catch {
    throw new DecodeError(path, `expected a hex string, found ${describe(v)}`);
  }
  if (sizes && !sizes.includes(out.length)) {
    throw new DecodeError(path, `expected ${sizes.join(' or ')} bytes of hex, found ${out.length} bytes`);
  }
  return out;
}

/** A hash: empty or 32 bytes (types/validation.go ValidateHash). */
export function hashField(o: JsonObject, key: string, path: string): Uint8Array {
  return parseHex(field(o, key, path), join(path, key), [0, 32]);
}

/** An address: empty or 20 bytes (crypto.AddressSize). */
export function addressField(o: JsonObject, key: string, path: string): Uint8Array {
  return parseHex(field(o, key, path), join(path, key), [0, 20]);
}

/** Arbitrary-length hex (app_hash). */
export function hexField(o: JsonObject, key: string, path: string): Uint8Array {
  return parseHex(field(o, key, path), join(path, key));
}

// --- public keys --------------------------------------------------------------------------

export const ED25519_PUBKEY_AMINO = 'tendermint/PubKeyEd25519';
const ED25519_PUBKEY_PROTO = 'tendermint.crypto.PublicKey_Ed25519';

function ed25519Bytes(o: JsonObject, key: string, path: string): Uint8Array {
  const pk = base64Field(o, key, path, false);
  if (pk.length !== 32) throw new DecodeError(join(path, key), `expected a 32-byte Ed25519 public key, found ${pk.length} bytes`);
  return pk;
}

/**
 * An Ed25519 public key. The libs/json form `{type: "tendermint/PubKeyEd25519", value}` is
 * what /genesis, /validators and /status print; /block_results prints ABCI validator updates
 * as the proto oneof `{Sum: {type: "tendermint.crypto.PublicKey_Ed25519", value: {ed25519}}}`
 * (crypto/encoding/codec.go registrations). Any other key type is rejected.
 */
export function pubKeyField(o: JsonObject, key: string, path: string): Uint8Array {
  const p = join(path, key);
  const pk = objectField(o, key, path);
  if ('Sum' in pk) {
    const sum = objectField(pk, 'Sum', p);
    const type = stringField(sum, 'type', join(p, 'Sum'));
    if (type !== ED25519_PUBKEY_PROTO) {
      throw new DecodeError(join(join(p, 'Sum'), 'type'), `expected ${JSON.stringify(ED25519_PUBKEY_PROTO)} (the only key type this ledger admits), found ${describe(type)}`);
    }
    return ed25519Bytes(objectField(sum, 'value', join(p, 'Sum')), 'ed25519', join(join(p, 'Sum'), 'value'));
  }
  const type = stringField(pk, 'type', p);
  if (type !== ED25519_PUBKEY_AMINO) {
    throw new DecodeError(join(p, 'type'), `expected ${JSON.stringify(ED25519_PUBKEY_AMINO)} (the only key type this ledger admits), found ${describe(type)}`);
  }
  return ed25519Bytes(pk, 'value', p);
}
