// The read API for the explorer and the CLI. Every answer is a plain JSON-able object, the
// same whatever the shard layout: a query reads the core, the summaries of sealed shards, and
// only the shards that hold what it asks for (README.md "Queries across shards").
import type { IndexDb } from './index-db';
import { clamp, json, num, strOrNull, txSummary } from './row-views';
import { KeyClass } from './lookup';
import { shardsFor } from './scan';
import { ROW_COUNTS, TX_GROUPS } from './shard-summary';
import type { Row, Sql } from './sql';

export type Verification = 'unverified' | 'verified' | 'failed';

export interface BlockSummary {
  height: number;
  hash: string;
  time: string;
  timeUnix: number;
  proposer: string;
  txCount: number;
  txFailed: number;
  appHash: string;
  resultsAppHash: string;
  verification: Verification;
}

export interface FailureRow { check: string; expected: string; found: string; detail: string | null }

export interface TxSummary { id: string; height: number; index: number; kind: string | null; signer: string | null; code: number }

export interface BlockDetail extends BlockSummary {
  failures: FailureRow[];
  txs: TxSummary[];
  /** finalize_block_events (governance tallies and executions), when any. */
  events: unknown[] | null;
}

export interface TxDetail extends TxSummary {
  nonce: number | null;
  codespace: string;
  log: string;
  size: number;
  /** The transaction as signed, parsed; null when the bytes do not decode (see rawBase64). */
  tx: unknown;
  rawBase64: string | null;
  /** TxResult.data, parsed (e.g. an access decision). Its events: txEvents(store, height, index). */
  result: unknown;
  blockTime: string | null;
  /** Other places the same bytes appear (a replayed copy is refused with code 5). */
  alsoAt: { height: number; index: number; code: number }[];
}

export type SearchType = 'block' | 'tx' | 'record' | 'consent' | 'access' | 'patient' | 'member' | 'proxy' | 'organisation' | 'proposal' | 'validator';

export interface SearchHit {
  type: SearchType;
  /** What to open: a height, tx id, record/consent/access id, public key, organisation id or proposal number. */
  key: string;
  label: string;
  height: number | null;
}

export interface ListTxsOptions {
  kind?: string;
  signer?: string;
  fromHeight?: number;
  toHeight?: number;
  /** 'ok' (code 0), 'failed' (code ≠ 0), or one code. */
  code?: 'ok' | 'failed' | number;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface Counts {
  lastHeight: number;
  chainId: string | null;
  blocks: number;
  txs: number;
  txsFailed: number;
  txsByKind: Record<string, number>;
  organisations: number;
  members: number;
  patients: number;
  proxies: number;
  records: number;
  recordVersions: number;
  consents: number;
  accesses: number;
  accessesByDecision: Record<string, number>;
  proposals: number;
  votes: number;
  policyVersions: number;
  validatorChanges: number;
  verification: { verified: number; failed: number; failures: number };
}


const BLOCK_COLS = 'height, hash, time_rfc3339, time, proposer, tx_count, tx_failed, app_hash, results_app_hash';

function blockSummary(r: Row, verification: Verification): BlockSummary {
  return {
    height: num(r['height']), hash: String(r['hash']), time: String(r['time_rfc3339']), timeUnix: num(r['time']), proposer: String(r['proposer']),
    txCount: num(r['tx_count']), txFailed: num(r['tx_failed']), appHash: String(r['app_hash']), resultsAppHash: String(r['results_app_hash']),
    verification,
  };
}

/** The verifier's answer for heights from..to (core), 'unverified' where there is none. */
function statuses(core: Sql, from: number, to: number): (height: number) => Verification {
  const m = new Map(core.all('SELECT height, status FROM verification WHERE height BETWEEN ? AND ?', [from, to]).map((r) => [num(r['height']), r['status'] as Verification]));
  return (h) => m.get(h) ?? 'unverified';
}

export function getBlock(ix: IndexDb, height: number): BlockDetail | null {
  const s = ix.shards.forHeight(height);
  if (!s) return null;
  const sql = ix.shards.sql(s.id);
  const r = sql.get(`SELECT ${BLOCK_COLS}, events_json FROM blocks WHERE height = ?`, [height]);
  if (!r) return null;
  const core = ix.sql();
  return {
    ...blockSummary(r, statuses(core, height, height)(height)),
    failures: core.all('SELECT check_name, expected, found, detail FROM verification_failures WHERE height = ? ORDER BY seq', [height])
      .map((f) => ({ check: String(f['check_name']), expected: String(f['expected']), found: String(f['found']), detail: strOrNull(f['detail']) })),
    txs: sql.all('SELECT id, height, idx, kind, signer, code FROM txs WHERE height = ? ORDER BY idx', [height]).map(txSummary),
    events: json(r['events_json']) as unknown[] | null,
  };
}

/** Blocks newest first (for the explorer's block list). */
export function listBlocks(ix: IndexDb, opts: { beforeHeight?: number; limit?: number } = {}): BlockSummary[] {
  const limit = clamp(opts.limit ?? 50, 1, 1000);
  const before = opts.beforeHeight ?? Number.MAX_SAFE_INTEGER;
  const rows: Row[] = [];
  for (const s of ix.shards.list().reverse()) {
    if (rows.length >= limit) break;
    if (s.from >= before) continue;
    rows.push(...ix.shards.sql(s.id).all(`SELECT ${BLOCK_COLS} FROM blocks WHERE height < ? ORDER BY height DESC LIMIT ?`, [before, limit - rows.length]));
  }
  if (rows.length === 0) return [];
  const status = statuses(ix.sql(), num(rows[rows.length - 1]!['height']), num(rows[0]!['height']));
  return rows.map((r) => blockSummary(r, status(num(r['height']))));
}

/** A transaction by id (case-insensitive hex). */
export function getTx(ix: IndexDb, id: string): TxDetail | null {
  const up = id.toUpperCase();
  const rows: Row[] = [];
  for (const s of shardsFor(ix, KeyClass.id, up)) {
    rows.push(...ix.shards.sql(s).all('SELECT t.*, b.time_rfc3339 FROM txs t LEFT JOIN blocks b ON b.height = t.height WHERE t.id = ?', [up]));
  }
  // As ORDER BY (t.code <> 0), t.height, t.idx: the recorded copy first, then by position.
  rows.sort((a, b) => (num(a['code']) !== 0 ? 1 : 0) - (num(b['code']) !== 0 ? 1 : 0) || num(a['height']) - num(b['height']) || num(a['idx']) - num(b['idx']));
  const r = rows[0];
  if (!r) return null;
  return {
    ...txSummary(r),
    nonce: r['nonce'] === null ? null : num(r['nonce']), codespace: String(r['codespace']), log: String(r['log']), size: num(r['size']),
    tx: json(r['tx_json']), rawBase64: strOrNull(r['raw_base64']), result: json(r['result_json']), blockTime: strOrNull(r['time_rfc3339']),
    alsoAt: rows.slice(1).map((o) => ({ height: num(o['height']), index: num(o['idx']), code: num(o['code']) })),
  };
}

/** A patient pseudonym's registration, or null. */
export function getPatient(ix: IndexDb, pubkey: string): { org: string; height: number } | null {
  for (const s of shardsFor(ix, KeyClass.patient, pubkey)) {
    const r = ix.shards.sql(s).get('SELECT org, height FROM patients WHERE pubkey = ?', [pubkey]);
    if (r) return { org: String(r['org']), height: num(r['height']) };
  }
  return null;
}

export function counts(ix: IndexDb): Counts {
  const sql = ix.sql();
  const c = (table: string, where = ''): number => num(sql.value(`SELECT count(*) FROM ${table} ${where}`));
  // Sealed shards from their summaries, the open shard live.
  const open = ix.shards.open();
  const live = open ? ix.shards.sql(open.id) : null;
  const txGroups = [...sql.all('SELECT kind, code, n FROM shard_txs'), ...(live?.all(TX_GROUPS) ?? [])];
  const keyed = [...sql.all('SELECT what, key AS k, n FROM shard_counts WHERE what IN (\'rows\', \'decision\')'), ...(live?.all(ROW_COUNTS) ?? [])];
  const total = (what: string, k?: string): number => keyed.reduce((n, r) => (r['what'] === what && (k === undefined || r['k'] === k) ? n + num(r['n']) : n), 0);
  const byKey = (pairs: [string, number][]): Record<string, number> => {
    const m = new Map<string, number>();
    for (const [k, n] of pairs) if (n > 0) m.set(k, (m.get(k) ?? 0) + n);
    return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };
  return {
    lastHeight: ix.lastHeight(),
    chainId: ix.meta('chain_id') ?? null,
    blocks: total('rows', 'blocks'),
    txs: txGroups.reduce((n, r) => n + num(r['n']), 0),
    txsFailed: txGroups.reduce((n, r) => (num(r['code']) !== 0 ? n + num(r['n']) : n), 0),
    txsByKind: byKey(txGroups.map((r) => [String(r['kind']) || '(undecodable)', num(r['n'])])),
    organisations: c('organisations'),
    members: c('members'),
    patients: total('rows', 'patients'),
    proxies: c('proxies'),
    records: total('rows', 'records'),
    recordVersions: total('rows', 'anchors'),
    consents: total('rows', 'consents'),
    accesses: total('rows', 'accesses'),
    accessesByDecision: byKey(keyed.filter((r) => r['what'] === 'decision').map((r) => [String(r['k']), num(r['n'])])),
    proposals: c('proposals'),
    votes: c('votes'),
    policyVersions: c('policy_versions'),
    validatorChanges: c('validator_changes', 'WHERE height > 0'),
    verification: { verified: c('verification', 'WHERE status = \'verified\''), failed: c('verification', 'WHERE status = \'failed\''), failures: c('verification_failures') },
  };
}
