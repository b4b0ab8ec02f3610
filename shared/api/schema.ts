// Tiny runtime validators for everything that crosses a process boundary (IPC, WebSocket).
// Hand-written on purpose: no dependency, a few combinators, and each schema is also the
// source of the static type (Infer<typeof schema>), so the contract is written once.
//
// Rules, stated up front:
//   - objects are exact: unknown keys are rejected (a payload is data, not a grab bag);
//   - objects must be plain (prototype Object.prototype or null), never arrays or class instances;
//   - numbers must be finite; integers must be safe integers;
//   - strings and arrays carry a maximum length (default 64 KiB / 10 000 items), so a
//     hostile peer cannot make the other side hold unbounded data in a single field.

export interface Schema<T> {
  /** Returns null when `value` conforms, else a message naming the path and the problem. */
  check(value: unknown, path: string): string | null;
  /** Short name used in messages ("string", "object", ...). */
  readonly expected: string;
  /** Phantom field: carries T for Infer; never set at runtime. */
  readonly __type?: T;
}

export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type InferShape<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }
>;

export const DEFAULT_MAX_STRING = 64 * 1024;
export const DEFAULT_MAX_ITEMS = 10_000;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function string(opts: { min?: number; max?: number; pattern?: RegExp } = {}): Schema<string> {
  const min = opts.min ?? 0;
  const max = opts.max ?? DEFAULT_MAX_STRING;
  return {
    expected: 'string',
    check(value, path) {
      if (typeof value !== 'string') return `${path}: expected string, got ${describe(value)}`;
      if (value.length < min) return `${path}: expected at least ${min} characters, got ${value.length}`;
      if (value.length > max) return `${path}: expected at most ${max} characters, got ${value.length}`;
      if (opts.pattern && !opts.pattern.test(value)) return `${path}: does not match ${String(opts.pattern)}`;
      return null;
    },
  };
}

export function number(opts: { min?: number; max?: number; integer?: boolean } = {}): Schema<number> {
  const expected = opts.integer ? 'integer' : 'number';
  return {
    expected,
    check(value, path) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${path}: expected ${expected}, got ${describe(value)}`;
      if (opts.integer && !Number.isSafeInteger(value)) return `${path}: expected integer, got ${value}`;
      if (opts.min !== undefined && value < opts.min) return `${path}: expected >= ${opts.min}, got ${value}`;
      if (opts.max !== undefined && value > opts.max) return `${path}: expected <= ${opts.max}, got ${value}`;
      return null;
    },
  };
}

export function integer(opts: { min?: number; max?: number } = {}): Schema<number> {
  return number({ ...opts, integer: true });
}

export function boolean(): Schema<boolean> {
  return {
    expected: 'boolean',
    check: (value, path) => (typeof value === 'boolean' ? null : `${path}: expected boolean, got ${describe(value)}`),
  };
}

/** One of a fixed set of primitive values. */
export function literal<const V extends readonly (string | number | boolean)[]>(...values: V): Schema<V[number]> {
  const shown = values.map((v) => JSON.stringify(v)).join(' | ');
  return {
    expected: shown,
    check: (value, path) =>
      values.includes(value as V[number]) ? null : `${path}: expected ${shown}, got ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : describe(value)}`,
  };
}

/** Accepts anything; only for envelopes whose payload is validated in a second step. */
export function unknown(): Schema<unknown> {
  return { expected: 'any', check: () => null };
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return {
    optional: true,
    expected: `${inner.expected} (optional)`,
    check: (value, path) => (value === undefined ? null : inner.check(value, path)),
  };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    expected: `${inner.expected} | null`,
    check: (value, path) => (value === null ? null : inner.check(value, path)),
  };
}

export function array<T>(item: Schema<T>, opts: { max?: number } = {}): Schema<T[]> {
  const max = opts.max ?? DEFAULT_MAX_ITEMS;
  return {
    expected: `${item.expected}[]`,
    check(value, path) {
      if (!Array.isArray(value)) return `${path}: expected array, got ${describe(value)}`;
      if (value.length > max) return `${path}: expected at most ${max} items, got ${value.length}`;
      for (let i = 0; i < value.length; i++) {
        const err = item.check(value[i], `${path}[${i}]`);
        if (err) return err;
      }
      return null;
    },
  };
}

/** An exact object: every key in `shape` is checked, any other key is rejected. */
export function object<S extends Shape>(shape: S): Schema<InferShape<S>> {
  const keys = Object.keys(shape);
  return {
    expected: 'object',
    check(value, path) {
      if (!isPlainObject(value)) return `${path}: expected object, got ${describe(value)}`;
      for (const key of Object.keys(value)) {
        if (!Object.prototype.hasOwnProperty.call(shape, key)) return `${path}: unexpected key ${JSON.stringify(key.slice(0, 40))}`;
      }
      for (const key of keys) {
        const schema = shape[key] as Schema<unknown>;
        const err = schema.check(value[key], `${path}.${key}`);
        if (err) return err;
      }
      return null;
    },
  };
}

/** A union of object schemas told apart by a literal `tag` key (e.g. `type`). */
export function tagged<K extends string, const M extends Record<string, Schema<unknown>>>(
  tag: K,
  variants: M,
): Schema<Infer<M[keyof M]>> {
  const names = Object.keys(variants);
  return {
    expected: `${tag}: ${names.join(' | ')}`,
    check(value, path) {
      if (!isPlainObject(value)) return `${path}: expected object, got ${describe(value)}`;
      const t = value[tag];
      if (typeof t !== 'string' || !Object.prototype.hasOwnProperty.call(variants, t)) {
        return `${path}.${tag}: expected ${names.map((n) => JSON.stringify(n)).join(' | ')}`;
      }
      return (variants[t] as Schema<unknown>).check(value, path);
    },
  };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export function validate<T>(schema: Schema<T>, value: unknown, path = 'payload'): Checked<T> {
  const error = schema.check(value, path);
  return error === null ? { ok: true, value: value as T } : { ok: false, error };
}

export function is<T>(schema: Schema<T>, value: unknown): value is T {
  return schema.check(value, 'value') === null;
}
