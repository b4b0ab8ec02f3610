// Full verification of a replica on worker threads: runVerification and its report.
export { runVerification, type VerifiedBatch, type VerifyOptions, type VerifyProgress } from './run';
export { formatReport, REPORT_FORMAT, type FailureRecord, type VerificationReport } from './report';
export { CHECKPOINT_FILE, CHECKPOINT_FORMAT, readCheckpoint, type Checkpoint, type CheckpointHeader } from './checkpoint';
export { memorySource, openStoreSource, storeSource, ReplicaReadError, type HeightRecord, type ReplicaBounds, type ReplicaSource } from './source';
export { NATIVE_RULES, createStrictNativeEd25519 } from './native-rules';
