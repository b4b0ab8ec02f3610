// A tiny in-memory chain around LedgerMachine for tests and examples: it keeps nonces per
// signer, advances block time, and finalizes + commits one block per call.
import { buildTx, decodeResultData, txId } from './client/build';
import { keyFromSeed } from './client/keys';
import type { Json } from './encoding/canonical';
import { utf8Decode } from './encoding/utf8';
import { buildDemoGenesis, type DemoGenesis, type DemoGenesisOptions } from './genesis';
import { LedgerMachine, type BlockOutput, type TxResult, type ValidatorUpdate } from './machine';
import type { TxBodies, TxKind } from './tx/types';

export const T0 = 1_700_000_000;

export interface Landed extends TxResult { id: string; result?: Json }

export class TestChain {
  readonly g: DemoGenesis;
  readonly machine: LedgerMachine;
  readonly genesisAppHash: Uint8Array;
  readonly genesisValidators: ValidatorUpdate[];
  height = 0;
  time = T0;
  private readonly nonces = new Map<string, number>();

  constructor(readonly chainId = 'custos-test', opts: DemoGenesisOptions & { seed?: string; validators?: ValidatorUpdate[] } = {}) {
    this.g = buildDemoGenesis(opts.seed ?? 'test-seed', opts);
    this.genesisValidators = opts.validators ?? [{ pubKeyType: 'ed25519', pubKey: keyFromSeed(new Uint8Array(32).fill(9)).publicKey, power: 10n }];
    const r = LedgerMachine.fromGenesis(chainId, JSON.parse(JSON.stringify(this.g.appState)), 1n, this.genesisValidators);
    this.machine = r.machine;
    this.genesisAppHash = r.appHash;
  }

  /** Signs a transaction with the signer's next nonce (or the one given). */
  tx<K extends TxKind>(kind: K, body: TxBodies[K], seed: Uint8Array, o: { nonce?: number; chainId?: string } = {}): Uint8Array {
    const pk = keyFromSeed(seed).pubkey;
    const nonce = o.nonce ?? (this.nonces.get(pk) ?? 0) + 1;
    this.nonces.set(pk, Math.max(nonce, this.nonces.get(pk) ?? 0));
    return buildTx(kind, body, seed, nonce, o.chainId ?? this.chainId);
  }

  /** Finalizes and commits one block, `advance` seconds after the previous one. */
  block(txs: Uint8Array[], advance = 5): BlockOutput {
    this.height++;
    this.time += advance;
    const out = this.machine.finalizeBlock({ height: BigInt(this.height), time: { seconds: BigInt(this.time), nanos: 0 }, txs, proposerAddress: new Uint8Array(20) });
    this.machine.commit();
    return out;
  }

  /** One transaction in its own block; returns its result with the decoded data. */
  run<K extends TxKind>(kind: K, body: TxBodies[K], seed: Uint8Array, o: { nonce?: number; chainId?: string; advance?: number } = {}): Landed {
    const bytes = this.tx(kind, body, seed, o);
    return this.land(bytes, o.advance);
  }

  land(bytes: Uint8Array, advance = 5): Landed {
    const out = this.block([bytes], advance);
    const r = out.txResults[0]!;
    return { ...r, id: txId(bytes), result: decodeResultData(r.data) };
  }

  /** Empty blocks until (and including) the given height. */
  advanceTo(height: number): BlockOutput[] {
    const outs: BlockOutput[] = [];
    while (this.height < height) outs.push(this.block([]));
    return outs;
  }

  query(path: string): { code: number; value: unknown } {
    const r = this.machine.query(path, new Uint8Array(0));
    return { code: r.code, value: r.value.length ? JSON.parse(utf8Decode(r.value)) : undefined };
  }
}
