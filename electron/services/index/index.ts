// The derived index (sql.js): blocks, transactions and the consent ledger's objects, built by
// streaming over the replica store into shards of bounded size, checkpointed atomically,
// rebuilt whenever it is missing, damaged or stale. See README.md.
export { openIndex, IndexDb, indexPathFor, INDEX_FILE, type OpenIndexOptions, type OpenedFrom } from './index-db';
export { updateIndex, rebuildIndex, type IndexSource, type UpdateOptions, type UpdateProgress, type UpdateReport } from './build';
export { recordVerification, type HeightVerification, type VerificationFailure } from './verification';
export { listTxs } from './query-txs';
export { searchByText } from './search';
export { ledgerLists, ledgerTxs, type LedgerList, type LedgerListResult, type LedgerTx } from './ledger-lists';
export {
  getBlock, listBlocks, getTx, getPatient, counts,
  type SearchHit, type SearchType, type BlockSummary, type BlockDetail, type TxSummary, type TxDetail, type ListTxsOptions, type Counts,
  type FailureRow, type Verification,
} from './query';
export { SCHEMA_VERSION, DERIVED_TABLES, VERIFICATION_TABLES, SHARD_TABLES } from './schema';
export { txEvents } from './tx-events';
export { IndexDataError, IndexDamagedError } from './errors';
export { loadSqlJs, sqlWasmPath } from './sqljs';
