// The workload generator's programmatic API: a ledger client (sign, submit, wait for
// inclusion) and the synthetic day with its ground truth. See cli.ts for `npm run workload`.
export { LedgerClient, SkipTx, signerFromSeed } from './client';
export type { Signer, TxRequest, TxOutcome, ClientStats, LedgerClientOptions } from './client';
export { runWorkload } from './workload';
export type { WorkloadOptions, WorkloadProgress, WorkloadResult } from './workload';
export { ANOMALY_KINDS, parseAnomalyList } from './truth';
export type { AnomalyKind, GroundTruth, InjectedAnomaly, ActorRef } from './truth';
export { OffchainStore, sha256Hex } from './offchain';
export { Population } from './population';
