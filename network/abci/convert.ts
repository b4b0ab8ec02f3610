// Conversions between the ABCI 2.0 protobuf types (cosmjs-types, checked field by field
// against cometbft v0.38.26 proto/tendermint/abci/types.proto) and the ledger's types.
import type {
  Event,
  ExecTxResult,
  ResponseCheckTx,
  ValidatorUpdate as PbValidatorUpdate,
} from 'cosmjs-types/tendermint/abci/types';
import type { AbciEvent, TxResult, ValidatorUpdate } from './ledger-port';

export function toPbEvents(events: AbciEvent[]): Event[] {
  return events.map((e) => ({
    type: e.type,
    attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })),
  }));
}

export function toExecTxResult(r: TxResult): ExecTxResult {
  return {
    code: r.code,
    data: r.data,
    log: r.log,
    info: '',
    gasWanted: r.gasWanted,
    gasUsed: r.gasUsed,
    events: toPbEvents(r.events),
    codespace: r.codespace,
  };
}

export function toResponseCheckTx(r: TxResult): ResponseCheckTx {
  return toExecTxResult(r);
}

/** crypto/keys.proto PublicKey is a oneof; the devnet and the ledger use ed25519 only. */
export function fromPbValidatorUpdate(v: PbValidatorUpdate): ValidatorUpdate {
  const key = v.pubKey?.ed25519;
  if (!key || key.length !== 32) {
    throw new Error('validator update with a key that is not a 32-byte ed25519 key (only ed25519 is supported)');
  }
  return { pubKeyType: 'ed25519', pubKey: key, power: v.power };
}

export function toPbValidatorUpdate(v: ValidatorUpdate): PbValidatorUpdate {
  if (v.pubKeyType !== 'ed25519') throw new Error(`unsupported validator key type ${String(v.pubKeyType)}`);
  return { pubKey: { ed25519: v.pubKey }, power: v.power };
}

/** types/tx.go ComputeProtoSizeForTxs: bytes a tx takes inside Data.txs (tag + length + body). */
export function protoSizeOfTx(tx: Uint8Array): number {
  let lenSize = 1;
  for (let n = tx.length; n >= 0x80; n = Math.floor(n / 0x80)) lenSize++;
  return 1 + lenSize + tx.length;
}
