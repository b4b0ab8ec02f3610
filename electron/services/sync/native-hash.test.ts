import { describe, expect, it } from 'vitest';
import { dataHash } from '../../../shared/cometbft/hash';
import { nativeDataHash } from './native-hash';

describe('nativeDataHash', () => {
  it('equals the portable Txs.Hash for 0 to 70 transactions and a large block', () => {
    let seed = 1;
    const tx = (i: number): Uint8Array => Uint8Array.from({ length: 1 + ((i * 37) % 900) }, () => ((seed = (seed * 48271) % 2147483647), seed & 255));
    for (const n of [...Array.from({ length: 71 }, (_, i) => i), 257, 1000]) {
      const txs = Array.from({ length: n }, (_, i) => tx(i));
      expect(Buffer.from(nativeDataHash(txs)).toString('hex'), `${n} txs`).toBe(Buffer.from(dataHash(txs)).toString('hex'));
    }
  });
});
