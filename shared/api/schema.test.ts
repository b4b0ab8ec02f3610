import { describe, expect, it } from 'vitest';
import * as s from './schema';

describe('schema validators', () => {
  const point = s.object({ x: s.integer({ min: 0 }), label: s.optional(s.string({ max: 5 })) });

  it('accepts conforming values', () => {
    expect(s.validate(point, { x: 3 })).toEqual({ ok: true, value: { x: 3 } });
    expect(s.validate(point, { x: 0, label: 'ab' }).ok).toBe(true);
    expect(s.validate(point, Object.assign(Object.create(null) as object, { x: 1 })).ok).toBe(true);
  });

  it.each([
    ['not an object', 'hello', 'payload: expected object, got string'],
    ['null', null, 'payload: expected object, got null'],
    ['an array', [1], 'payload: expected object, got array'],
    ['a class instance', new Date(0), 'payload: expected object, got object'],
    ['a missing key', {}, 'payload.x: expected integer, got undefined'],
    ['a wrong type', { x: '3' }, 'payload.x: expected integer, got string'],
    ['a fraction', { x: 1.5 }, 'payload.x: expected integer, got 1.5'],
    ['NaN', { x: NaN }, 'payload.x: expected integer, got NaN'],
    ['Infinity', { x: Infinity }, 'payload.x: expected integer, got Infinity'],
    ['an unsafe integer', { x: 2 ** 60 }, `payload.x: expected integer, got ${2 ** 60}`],
    ['below the minimum', { x: -1 }, 'payload.x: expected >= 0, got -1'],
    ['an unknown key', { x: 1, y: 2 }, 'payload: unexpected key "y"'],
    ['a too long string', { x: 1, label: 'abcdef' }, 'payload.label: expected at most 5 characters, got 6'],
    ['an optional key of the wrong type', { x: 1, label: 7 }, 'payload.label: expected string, got number'],
  ])('rejects %s', (_name, value, message) => {
    expect(s.validate(point, value)).toEqual({ ok: false, error: message });
  });

  it('rejects __proto__ smuggled in through JSON', () => {
    const hostile: unknown = JSON.parse('{"x":1,"__proto__":{"admin":true}}');
    expect(s.validate(point, hostile)).toEqual({ ok: false, error: 'payload: unexpected key "__proto__"' });
  });

  it('checks arrays item by item and bounds their length', () => {
    const list = s.array(s.string(), { max: 2 });
    expect(s.validate(list, ['a', 'b']).ok).toBe(true);
    expect(s.validate(list, ['a', 3])).toEqual({ ok: false, error: 'payload[1]: expected string, got number' });
    expect(s.validate(list, ['a', 'b', 'c'])).toEqual({ ok: false, error: 'payload: expected at most 2 items, got 3' });
  });

  it('bounds strings by default', () => {
    expect(s.validate(s.string(), 'x'.repeat(s.DEFAULT_MAX_STRING + 1)).ok).toBe(false);
  });

  it('checks literals, patterns, nullable and tagged unions', () => {
    const level = s.literal('info', 'warning');
    expect(s.is(level, 'info')).toBe(true);
    expect(s.validate(level, 'debug')).toEqual({ ok: false, error: 'payload: expected "info" | "warning", got "debug"' });
    expect(s.is(s.string({ pattern: /^[0-9a-f]+$/ }), 'xyz')).toBe(false);
    expect(s.is(s.nullable(s.boolean()), null)).toBe(true);
    expect(s.is(s.nullable(s.boolean()), 0)).toBe(false);
    const msg = s.tagged('type', {
      a: s.object({ type: s.literal('a'), n: s.number() }),
      b: s.object({ type: s.literal('b') }),
    });
    expect(s.is(msg, { type: 'a', n: 1 })).toBe(true);
    expect(s.is(msg, { type: 'b', n: 1 })).toBe(false);
    expect(s.validate(msg, { type: 'c' })).toEqual({ ok: false, error: 'payload.type: expected "a" | "b"' });
  });
});
