// Full-replica verification (pure): the chain verifier, its per-height preparation and the
// pluggable signature batch. The Node pipeline lives in electron/services/verify.
export { ChainVerifier, type HeightOutcome, type VerifierOptions } from './chain-verifier';
export { prepareDecoded, prepareHeight, type PreparedHeight, type PrepareOptions } from './prepare';
export { decodeHeight, decodeHeightBytes, type DecodedHeight, type DecodedResults, type HeightPayloads, type TxResultFacts, type NodeValidators, type RawHeight } from './height-input';
export {
  PORTABLE_RULES, SignatureResults, sequentialBatchVerifier, sigKey, taskKey,
  type Digest, type SigRule, type SigTask, type SigVerdict, type SignatureBatchVerifier,
} from './signatures';
export { decodeTagged, encodeTagged, nextHeight, zeroCounters, type Counters, type VerifierState } from './state';
export { LEDGER_APP_VERSION, ledgerMachine, ledgerMachineFactory, type MachineFactory, type ReplayMachine, type ReplayBlock, type SignatureCheck, type TxVerdict } from './machine';
export { applyValidatorChanges, newValidatorSet, validateValidatorUpdates, validatorSetDifference, type ValidatorChange } from './validator-updates';
export { applyConsensusParamUpdates, decodeConsensusParamUpdates, type ConsensusParamUpdates } from './consensus-params';
export { medianTime } from './median-time';
export { compareResults, resultsHash, sameTxResults, type ReplayOutput } from './results';
export { genesisState } from './genesis';
