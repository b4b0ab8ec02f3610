import { describe, expect, it } from 'vitest';
import { MapReader, Overlay } from './state/store';

describe('block overlay (PROTOCOL §2.9 step 7)', () => {
  it('undo takes back exactly the transaction\'s writes, member order included; keep keeps them', () => {
    const o = new Overlay(new MapReader(new Map([['c', { v: 0 }]])));
    o.set('a', { v: 1 });
    o.set('b', { v: 2 });
    o.begin();
    o.set('b', { v: 3 });
    o.set('x', { v: 4 });
    o.delete('c');
    o.set('x', { v: 5 });
    o.delete('a');
    expect(o.get('x')).toEqual({ v: 5 });
    expect(o.get('c')).toBeUndefined();
    o.undo();
    expect([...o.writes]).toEqual([['a', { v: 1 }], ['b', { v: 2 }]]);
    expect(o.get('c')).toEqual({ v: 0 });
    o.begin();
    o.set('y', { v: 6 });
    o.set('a', { v: 7 });
    o.keep();
    o.set('z', { v: 8 }); // outside a transaction: not journaled
    o.begin();
    o.undo();
    expect([...o.writes]).toEqual([['a', { v: 7 }], ['b', { v: 2 }], ['y', { v: 6 }], ['z', { v: 8 }]]);
  });
});
