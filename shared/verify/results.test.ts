import { describe, expect, it } from 'vitest';
import { toHex } from '../cometbft/bytes';
import { encodeDeterministicExecTxResult } from '../cometbft/encode';
import { merkleRoot } from '../cometbft/merkle';
import { resultsHash } from './results';

describe('resultsHash (types/results.go ABCIResults.Hash, written without a proto writer)', () => {
  it('equals the Merkle root of encodeDeterministicExecTxResult for any code, data and gas', () => {
    const codes = [0, 1, 127, 128, 16384, 0x7fffffff, 0x80000000, 0xffffffff];
    const gas = [0n, 1n, 127n, 128n, 300n, -1n, (1n << 63n) - 1n, -(1n << 63n), 1n << 40n];
    const sizes = [0, 1, 127, 128, 200, 300, 5000];
    let x = 1;
    const rnd = (n: number) => { x = (x * 1103515245 + 12345) % 2147483648; return x % n; };
    for (let n = 0; n < 40; n++) {
      const rs = Array.from({ length: n }, () => ({
        code: codes[rnd(codes.length)]!, gasWanted: gas[rnd(gas.length)]!, gasUsed: gas[rnd(gas.length)]!,
        data: new Uint8Array(sizes[rnd(sizes.length)]!).map(() => rnd(256)),
      }));
      expect(toHex(resultsHash(rs)), `${n} results`).toBe(toHex(merkleRoot(rs.map(encodeDeterministicExecTxResult))));
    }
  });
});
