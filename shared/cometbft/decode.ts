// Decoding CometBFT 0.38 JSON-RPC into the typed model (types.ts) without losing precision.
// Every decoder accepts the full JSON-RPC envelope `{jsonrpc, id, result}` or the bare result,
// and throws DecodeError naming the JSON path of the first bad field.
export { DecodeError } from './decode-core';
export { decodeTimestamp, formatTimestamp } from './timestamp';
export {
  decodeBlock, decodeBlockId, decodeBlockResponse, decodeBlockchain, decodeCommit, decodeCommitResponse, decodeHeader,
  decodeSignedHeader, zeroBlockId,
} from './decode-block';
export {
  decodeBlockResults, decodeConsensusParams, decodeGenesis, decodeValidatorSet, decodeValidatorsPage,
} from './decode-state';
