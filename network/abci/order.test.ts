import { describe, expect, it } from 'vitest';
import { TestChain } from '../../shared/ledger/harness';
import { demoMember } from '../../shared/ledger/genesis';
import { keyFromSeed } from '../../shared/ledger/client/index';
import { Code } from '../../shared/ledger/codes';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'cosmjs-types/tendermint/abci/types';
import { ledgerTxOrderKey, orderByNonce } from './order';
import { AbciApp } from './app';
import { StateStore } from './state-store';
import { silentLogger } from './log';
import { LedgerDouble } from './testing/ledger-double';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('PrepareProposal nonce order', () => {
  const chain = new TestChain('order-test');
  const a = demoMember(chain.g, 'st-mary-hospital', 'nurse');
  const b = demoMember(chain.g, 'northside-clinic', 'nurse');
  const patient = (i: number) => keyFromSeed(chain.g.patientSeed(i)).pubkey;
  const reg = (who: typeof a, nonce: number, i: number) => chain.tx('patient.register', { patient: patient(i) }, who.seed, { nonce });

  it('sorts each signer by nonce inside the slots it holds, leaving other signers and junk in place', () => {
    const junk = new TextEncoder().encode('not a tx');
    const a3 = reg(a, 3, 0), a1 = reg(a, 1, 1), b2 = reg(b, 2, 2), a2 = reg(a, 2, 3), b1 = reg(b, 1, 4);
    const { txs, moved } = orderByNonce([a3, b2, junk, a1, b1, a2], ledgerTxOrderKey);
    expect(txs.map(hex)).toEqual([a1, b1, junk, a2, b2, a3].map(hex));
    expect(moved).toBe(5);
  });

  it('is stable for equal nonces and a no-op on ordered input', () => {
    const x = reg(a, 7, 10), y = reg(a, 7, 11), z = reg(a, 8, 12);
    expect(orderByNonce([x, y, z], ledgerTxOrderKey)).toEqual({ txs: [x, y, z], moved: 0 });
    expect(orderByNonce([z, x, y], ledgerTxOrderKey).txs).toEqual([x, y, z]);
  });

  it('turns what would be a replay into two accepted transactions', () => {
    const plain = new TestChain('order-test');
    const n = demoMember(plain.g, 'st-mary-hospital', 'nurse');
    const second = plain.tx('patient.register', { patient: patient(20) }, n.seed, { nonce: 2 });
    const first = plain.tx('patient.register', { patient: patient(21) }, n.seed, { nonce: 1 });
    // Mempool order 2, 1: the ledger refuses the late nonce 1 as a replay.
    expect(plain.block([second, first]).txResults.map((r) => r.code)).toEqual([Code.OK, Code.REPLAY]);

    const sorted = new TestChain('order-test');
    const n2 = demoMember(sorted.g, 'st-mary-hospital', 'nurse');
    const s2 = sorted.tx('patient.register', { patient: patient(20) }, n2.seed, { nonce: 2 });
    const s1 = sorted.tx('patient.register', { patient: patient(21) }, n2.seed, { nonce: 1 });
    const out = sorted.block(orderByNonce([s2, s1], ledgerTxOrderKey).txs);
    expect(out.txResults.map((r) => r.code)).toEqual([Code.OK, Code.OK]);
  });

  it('is what PrepareProposal proposes, before trimming to max_tx_bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-order-'));
    try {
      const app = new AbciApp({ factory: LedgerDouble, store: new StateStore(dir), log: silentLogger, txOrderKey: ledgerTxOrderKey });
      const x2 = reg(a, 2, 30), x1 = reg(a, 1, 31), x3 = reg(a, 3, 32);
      const prepare = (maxTxBytes: bigint) =>
        app.handle({ prepareProposal: { maxTxBytes, txs: [x3, x2, x1], localLastCommit: undefined, misbehavior: [], height: 5n, time: new Date(0), nextValidatorsHash: new Uint8Array(0), proposerAddress: new Uint8Array(20) } } as unknown as Request).prepareProposal!.txs;
      expect(prepare(1_000_000n).map(hex)).toEqual([x1, x2, x3].map(hex));
      // Only the first two fit: the lowest nonces go first.
      expect(prepare(BigInt(x1.length + x2.length + 8)).map(hex)).toEqual([x1, x2].map(hex));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
