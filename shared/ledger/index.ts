// The consent-ledger application (PROTOCOL.md): public surface.
export {
  LedgerMachine, type TxResult, type AbciEvent, type ValidatorUpdate, type BlockInput, type BlockOutput, type QueryResult,
  type MachineOptions,
} from './machine';
export { Code, CODE_NAMES, CODESPACE } from './codes';
export { DEFAULT_POLICY, POLICY_PARAMS, validatePolicy, purposeCovers, type Policy } from './policy';
export { parseAppState, type AppState } from './appstate';
export { appHashOf, AppHasher } from './apphash';
export type { CommittedState, StateCommitment, StateWrite } from './state/committed';
export { BucketedCommitment } from './state/bucketed';
export { MemoryBucketStore, type BucketStore } from './state/buckets';
export { isValidKey } from './rules/context';
export { keysValidatedBy } from './rules/keys';
export { canonicalBytes, canonicalString, parseCanonical, type Json } from './encoding/canonical';
export { TX_KINDS, type TxKind, type TxBodies, type Tx, type AnyTx } from './tx/types';
export { MAX_TX_BYTES, SIGN_DOMAIN } from './tx/envelope';
export { buildDemoGenesis, demoMember, DEMO_ORGS, type DemoGenesis, type DemoIdentity, type DemoPatient } from './genesis';
export * from './client/index';
export * from './vocab';
export type * from './state';
