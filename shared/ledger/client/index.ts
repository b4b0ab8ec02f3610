// Pure client helpers shared by the workload generator, the explorer and the tests.
export { keyFromSeed, deriveSeed, type KeyPair } from './keys';
export { buildTx, txId, decodeTx, decodeResultData, verifyTxSignature, signBytes, DecodeError, type AnyTx } from './build';
