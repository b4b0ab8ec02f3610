// The shape of the consent-ledger state machine (shared/ledger/machine.ts, LedgerMachine)
// as the ABCI server uses it. Declared here structurally so the server, its tests and
// their test double depend on the contract rather than on one implementation.

export interface AbciEvent {
  type: string;
  attributes: { key: string; value: string; index: boolean }[];
}
export interface TxResult {
  code: number;
  data: Uint8Array;
  log: string;
  codespace: string;
  gasWanted: bigint;
  gasUsed: bigint;
  events: AbciEvent[];
}
export interface ValidatorUpdate {
  pubKeyType: 'ed25519';
  pubKey: Uint8Array;
  power: bigint;
}
export interface BlockInput {
  height: bigint;
  time: { seconds: bigint; nanos: number };
  txs: Uint8Array[];
  proposerAddress: Uint8Array;
}
export interface BlockOutput {
  txResults: TxResult[];
  validatorUpdates: ValidatorUpdate[];
  events: AbciEvent[];
  appHash: Uint8Array;
}

/** Instance side of LedgerMachine. */
export interface Ledger {
  checkTx(tx: Uint8Array): TxResult;
  finalizeBlock(block: BlockInput): BlockOutput;
  commit(): void;
  info(): { lastBlockHeight: bigint; lastBlockAppHash: Uint8Array };
  query(path: string, data: Uint8Array): { code: number; value: Uint8Array; log: string; height: bigint };
  snapshot(): Uint8Array;
}

/** Static side of LedgerMachine. */
export interface LedgerFactory {
  fromGenesis(
    chainId: string,
    appState: unknown,
    initialHeight: bigint,
    genesisValidators: ValidatorUpdate[],
  ): { machine: Ledger; validators: ValidatorUpdate[]; appHash: Uint8Array };
  restore(snapshot: Uint8Array): Ledger;
}
