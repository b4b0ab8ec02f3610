// The derived index's schema. Everything here is rebuilt from the replica store (and, for the
// verification tables, from the verifier's results), so a schema change simply bumps
// SCHEMA_VERSION: an index file with another PRAGMA user_version is discarded and rebuilt.
//
// Two kinds of database (README.md "Shards"): the core, always in memory, holds the small
// tables, the verifier's results and the shard catalogue with per-shard summaries; a shard
// holds the rows of the growing tables for one range of heights.
//
// Conventions: heights are integers; block hashes, addresses and tx ids are upper-case hex (as
// CometBFT prints them); ledger keys and digests are lower-case hex (PROTOCOL.md §2.3); sets are
// comma-joined in their on-chain order; *_json columns hold canonical JSON; times are Unix
// seconds of block time (PROTOCOL.md §2.5) unless named *_rfc3339.
import type { Database } from 'sql.js';

export const SCHEMA_VERSION = 2;

/** Tables of a shard: rows of the heights in the shard's range (genesis patients: height 0, the first shard). */
export const SHARD_TABLES = ['blocks', 'txs', 'patients', 'anchors', 'consents', 'accesses', 'access_records'] as const;

/** Tables filled from the store (cleared by a rebuild). */
export const DERIVED_TABLES = [
  'meta', 'blocks', 'txs', 'organisations', 'members', 'patients', 'proxies', 'anchors', 'consents', 'accesses',
  'access_records', 'proposals', 'votes', 'policy_versions', 'validator_changes', 'board_changes',
] as const;

/** Tables filled by the verifier through recordVerification (kept across a rebuild). */
export const VERIFICATION_TABLES = ['verification', 'verification_failures'] as const;

export type ShardTable = (typeof SHARD_TABLES)[number];
export const isShardTable = (t: string): t is ShardTable => (SHARD_TABLES as readonly string[]).includes(t);

// A shard's indexes are the ones the queries use (query.ts, query-txs.ts, search.ts,
// ledger-lists.ts, writer.ts): each costs memory and insert time in every shard.
const SHARD_DDL = `
CREATE TABLE blocks (
  height INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  time_rfc3339 TEXT NOT NULL,
  time INTEGER NOT NULL,
  proposer TEXT NOT NULL,
  tx_count INTEGER NOT NULL,
  tx_failed INTEGER NOT NULL,
  app_hash TEXT NOT NULL,            -- header.app_hash: the state after height - 1
  results_app_hash TEXT NOT NULL,    -- /block_results app_hash: the state after this height
  events_json TEXT                   -- finalize_block_events, when any
  -- A block's verification status is the core's verification row (none: 'unverified').
);
CREATE INDEX blocks_hash ON blocks(hash);

CREATE TABLE txs (
  height INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  id TEXT NOT NULL,                  -- SHA-256 of the bytes, upper-case hex (CometBFT's tx hash)
  kind TEXT,                         -- NULL when the bytes do not decode
  signer TEXT,
  nonce INTEGER,
  code INTEGER NOT NULL,
  codespace TEXT NOT NULL,
  log TEXT NOT NULL,
  size INTEGER NOT NULL,
  tx_json TEXT,                      -- the transaction as signed (canonical JSON), when it decodes
  raw_base64 TEXT,                   -- the bytes, only when they do not decode
  result_json TEXT                   -- TxResult.data (canonical JSON), when any
  -- The events are not copied (about 1 KiB a transaction); the per-kind tables hold what
  -- they say, and txEvents() reads them from the store.
);
-- A rowid table: rows are often larger than a WITHOUT ROWID b-tree keeps on its page.
CREATE UNIQUE INDEX txs_position ON txs(height, idx);
CREATE INDEX txs_id ON txs(id);
CREATE INDEX txs_kind ON txs(kind, height);
CREATE INDEX txs_signer ON txs(signer, height);

CREATE TABLE patients (
  pubkey TEXT PRIMARY KEY,          -- the pseudonym: nothing else about a patient is on-chain
  org TEXT NOT NULL,
  registered_by TEXT NOT NULL,
  height INTEGER NOT NULL,
  tx_id TEXT
) WITHOUT ROWID;

CREATE TABLE anchors (
  record_id TEXT NOT NULL,          -- the record.anchor tx id
  version INTEGER NOT NULL,
  patient TEXT NOT NULL,
  custodian TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  prev_sha256 TEXT,
  uri TEXT NOT NULL,
  reason TEXT,
  by TEXT NOT NULL,
  tx_id TEXT NOT NULL,
  height INTEGER NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY (record_id, version)
) WITHOUT ROWID;
CREATE INDEX anchors_sha256 ON anchors(sha256);

CREATE TABLE consents (
  id TEXT PRIMARY KEY,              -- the consent.grant tx id
  patient TEXT NOT NULL,
  grantor TEXT NOT NULL,
  via_proxy INTEGER NOT NULL,
  grantee_kind TEXT NOT NULL,
  grantee TEXT NOT NULL,            -- org id, member key, role or role@org (as the event prints it)
  grantee_json TEXT NOT NULL,
  scope_kind TEXT NOT NULL,
  scope_json TEXT NOT NULL,
  purposes TEXT NOT NULL,
  period_start INTEGER NOT NULL,
  period_end INTEGER NOT NULL,
  status TEXT NOT NULL,
  granted_height INTEGER NOT NULL,
  granted_time INTEGER NOT NULL,
  revoked_height INTEGER,
  revoked_time INTEGER,
  revoked_by TEXT
) WITHOUT ROWID;
CREATE INDEX consents_patient ON consents(patient);
CREATE INDEX consents_grantee ON consents(grantee);

CREATE TABLE accesses (
  id TEXT PRIMARY KEY,              -- the access.record tx id
  actor TEXT NOT NULL,
  org TEXT NOT NULL,                -- on behalf of (declared)
  actor_org TEXT,                   -- the actor's own organisation
  patient TEXT NOT NULL,
  records TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  action TEXT NOT NULL,
  decision TEXT NOT NULL,           -- permit | deny | break_glass (the ledger's own decision)
  deny_reason TEXT,
  consent_id TEXT,
  break_glass INTEGER NOT NULL,
  justification_len INTEGER,        -- UTF-8 bytes of the break-glass justification
  review_deadline INTEGER,
  reviewed_height INTEGER,
  reviewed_time INTEGER,
  reviewer TEXT,
  review_outcome TEXT,
  review_late INTEGER,
  height INTEGER NOT NULL,
  time INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX accesses_patient ON accesses(patient, height);
CREATE INDEX accesses_org ON accesses(org, height);

CREATE TABLE access_records (
  access_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  PRIMARY KEY (record_id, access_id)
) WITHOUT ROWID;
`;

const CORE_DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  admitted_height INTEGER NOT NULL,
  admitted_by_proposal INTEGER NOT NULL,
  removed_height INTEGER,
  removed_by_proposal INTEGER
) WITHOUT ROWID;

CREATE TABLE members (
  pubkey TEXT PRIMARY KEY,
  org TEXT NOT NULL,
  roles TEXT NOT NULL,
  status TEXT NOT NULL,
  start_height INTEGER NOT NULL,
  added_by TEXT NOT NULL,           -- admin key, 'genesis' or 'proposal/<id>'
  end_height INTEGER,
  end_time INTEGER,
  end_reason TEXT,
  ended_by TEXT,
  tx_id TEXT                        -- the member.add transaction, if any
) WITHOUT ROWID;
CREATE INDEX members_org ON members(org);

CREATE TABLE proxies (
  tx_id TEXT PRIMARY KEY,           -- the proxy.grant transaction
  patient TEXT NOT NULL,
  proxy TEXT NOT NULL,
  relationship TEXT NOT NULL,
  until INTEGER,
  status TEXT NOT NULL,             -- active | revoked | replaced (a later grant for the pair)
  granted_height INTEGER NOT NULL,
  granted_time INTEGER NOT NULL,
  revoked_height INTEGER,
  revoked_by TEXT
) WITHOUT ROWID;
CREATE INDEX proxies_patient ON proxies(patient, proxy);
CREATE INDEX proxies_proxy ON proxies(proxy);

CREATE TABLE proposals (
  id INTEGER PRIMARY KEY,
  proposer TEXT NOT NULL,
  type TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  content_json TEXT NOT NULL,
  start_height INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  end_height INTEGER NOT NULL,      -- voting_end_height
  status TEXT NOT NULL,             -- voting | passed | rejected | vetoed | failed
  reason TEXT,
  final_height INTEGER,
  eligible INTEGER,
  yes INTEGER,
  no INTEGER,
  abstain INTEGER,
  veto INTEGER,
  policy_version INTEGER,
  tx_id TEXT NOT NULL
);

CREATE TABLE votes (
  tx_id TEXT PRIMARY KEY,
  proposal_id INTEGER NOT NULL,
  voter TEXT NOT NULL,
  option TEXT NOT NULL,
  height INTEGER NOT NULL,
  current INTEGER NOT NULL          -- 0 once the voter voted again (the later vote replaces it)
) WITHOUT ROWID;
CREATE INDEX votes_proposal ON votes(proposal_id, voter);
CREATE INDEX votes_voter ON votes(voter);

CREATE TABLE policy_versions (
  version INTEGER PRIMARY KEY,
  proposal_id INTEGER NOT NULL,     -- 0 for the genesis policy
  height INTEGER NOT NULL,
  changed TEXT NOT NULL,
  params_json TEXT NOT NULL
);

CREATE TABLE validator_changes (
  height INTEGER NOT NULL,          -- 0: the genesis set; otherwise the FinalizeBlock height (applied from height + 2)
  pub_key TEXT NOT NULL,
  power INTEGER NOT NULL,           -- 0 removes
  proposal_id INTEGER,
  PRIMARY KEY (height, pub_key)
) WITHOUT ROWID;
CREATE INDEX validator_changes_key ON validator_changes(pub_key);

CREATE TABLE board_changes (
  height INTEGER NOT NULL,          -- 0: the genesis board
  proposal_id INTEGER NOT NULL,     -- 0 for the genesis board
  pubkey TEXT NOT NULL,
  change TEXT NOT NULL,             -- add | remove
  PRIMARY KEY (height, proposal_id, pubkey)
) WITHOUT ROWID;

CREATE TABLE verification (
  height INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('verified', 'failed')),
  failures INTEGER NOT NULL
);

CREATE TABLE verification_failures (
  height INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  check_name TEXT NOT NULL,
  expected TEXT NOT NULL,
  found TEXT NOT NULL,
  detail TEXT,
  PRIMARY KEY (height, seq)
) WITHOUT ROWID;
CREATE INDEX verification_failures_check ON verification_failures(check_name);

-- The shards, in height order. The last one is open (being written, sealed = 0); a sealed
-- shard's file is written once and replaced only when pending patches are settled into it.
CREATE TABLE shards (
  id INTEGER PRIMARY KEY,
  from_height INTEGER NOT NULL,
  to_height INTEGER,                 -- NULL while open (then: meta last_height)
  sealed INTEGER NOT NULL,
  file TEXT,                         -- its file in the shard folder; NULL until first written
  bytes INTEGER,                     -- the file's size and its image's SHA-256 (the trailer's)
  sha256 TEXT
);

-- Summaries of each sealed shard, written when it is sealed, so that counts and paging need
-- not open it: transactions by (kind, code) ('' kind: undecodable), and counts by key —
-- what = 'rows' (key: table, or 'records' for version-1 anchors), 'signer', 'decision',
-- 'access_org', 'consent_grantee'.
CREATE TABLE shard_txs (
  shard INTEGER NOT NULL,
  kind TEXT NOT NULL,
  code INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (shard, kind, code)
) WITHOUT ROWID;
CREATE TABLE shard_counts (
  what TEXT NOT NULL,
  key TEXT NOT NULL,
  shard INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (what, key, shard)
) WITHOUT ROWID;

-- Which sealed shards hold a hex value: its first 13 hex digits as an integer (hexkey.ts; -1
-- for a value that has none), by class (lookup.ts): 0 a row's id (tx id, block hash, anchored
-- SHA-256), 1 a patient's own row, 2 a patient's consents and accesses. A superset: the shard
-- is then asked for the exact value.
CREATE TABLE hex_keys (
  cls INTEGER NOT NULL,
  k INTEGER NOT NULL,
  shard INTEGER NOT NULL,
  PRIMARY KEY (cls, k, shard)
) WITHOUT ROWID;

-- The resource types of records in sealed shards, by the key of the record id (as hex_keys):
-- an amendment needs its record's type (tx-rows.ts), and this spares loading the shard.
CREATE TABLE record_types (
  k INTEGER NOT NULL,
  resource_type TEXT NOT NULL,
  PRIMARY KEY (k, resource_type)
) WITHOUT ROWID;

-- Updates of rows in sealed shards (a consent revoked, a break-glass access reviewed), applied
-- when the shard is loaded and written into its file at the next checkpoint (patches.ts).
CREATE TABLE shard_patches (
  seq INTEGER PRIMARY KEY,
  shard INTEGER NOT NULL,
  op TEXT NOT NULL,
  args TEXT NOT NULL
);
CREATE INDEX shard_patches_shard ON shard_patches(shard, seq);
`;

/** SQLite page cache per connection, KiB: the core and the shard being written, and a sealed shard read by queries. */
export const CACHE_KIB = { core: 2048, open: 4096, sealed: 1024 } as const;

/**
 * Connection settings (not stored in the file, and reset by sql.js export()): the rollback
 * journal in memory rather than in sql.js's in-memory file system, and the page cache.
 * Durability comes from checkpoints.
 */
export function configure(db: Database, cacheKiB: number): void {
  db.exec(`PRAGMA journal_mode = MEMORY; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -${Math.trunc(cacheKiB)};`);
}

/** Creates every core table in an empty database and stamps the schema version. */
export function createCoreSchema(db: Database): void {
  db.exec(`BEGIN; ${CORE_DDL}; PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT;`);
}

/** Creates every shard table in an empty database and stamps the schema version. */
export function createShardSchema(db: Database): void {
  db.exec(`BEGIN; ${SHARD_DDL}; PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT;`);
}

export function schemaVersionOf(db: Database): number {
  const r = db.exec('PRAGMA user_version');
  return Number(r[0]?.values[0]?.[0] ?? 0);
}
