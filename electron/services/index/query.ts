// The read API for the explorer and the CLI. Every answer is a plain JSON-able object.
import type { IndexDb } from './index-db';
import type { Row } from './sql';

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

const num = (v: unknown): number => Number(v ?? 0);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : null);
const short = (s: string): string => (s.length > 16 ? `${s.slice(0, 8)}…${s.slice(-8)}` : s);

const BLOCK_COLS = 'height, hash, time_rfc3339, time, proposer, tx_count, tx_failed, app_hash, results_app_hash, verification';

function blockSummary(r: Row): BlockSummary {
  return {
    height: num(r['height']), hash: String(r['hash']), time: String(r['time_rfc3339']), timeUnix: num(r['time']), proposer: String(r['proposer']),
    txCount: num(r['tx_count']), txFailed: num(r['tx_failed']), appHash: String(r['app_hash']), resultsAppHash: String(r['results_app_hash']),
    verification: r['verification'] as Verification,
  };
}

function txSummary(r: Row): TxSummary {
  return { id: String(r['id']), height: num(r['height']), index: num(r['idx']), kind: strOrNull(r['kind']), signer: strOrNull(r['signer']), code: num(r['code']) };
}

export function getBlock(ix: IndexDb, height: number): BlockDetail | null {
  const sql = ix.sql();
  const r = sql.get(`SELECT ${BLOCK_COLS}, events_json FROM blocks WHERE height = ?`, [height]);
  if (!r) return null;
  return {
    ...blockSummary(r),
    failures: sql.all('SELECT check_name, expected, found, detail FROM verification_failures WHERE height = ? ORDER BY seq', [height])
      .map((f) => ({ check: String(f['check_name']), expected: String(f['expected']), found: String(f['found']), detail: strOrNull(f['detail']) })),
    txs: sql.all('SELECT id, height, idx, kind, signer, code FROM txs WHERE height = ? ORDER BY idx', [height]).map(txSummary),
    events: json(r['events_json']) as unknown[] | null,
  };
}

/** Blocks newest first (for the explorer's block list). */
export function listBlocks(ix: IndexDb, opts: { beforeHeight?: number; limit?: number } = {}): BlockSummary[] {
  const limit = clamp(opts.limit ?? 50, 1, 1000);
  return ix.sql().all(`SELECT ${BLOCK_COLS} FROM blocks WHERE height < ? ORDER BY height DESC LIMIT ?`, [opts.beforeHeight ?? Number.MAX_SAFE_INTEGER, limit]).map(blockSummary);
}

/** A transaction by id (case-insensitive hex). */
export function getTx(ix: IndexDb, id: string): TxDetail | null {
  const sql = ix.sql();
  const rows = sql.all(
    `SELECT t.*, b.time_rfc3339 FROM txs t LEFT JOIN blocks b ON b.height = t.height WHERE t.id = ? ORDER BY (t.code <> 0), t.height, t.idx`,
    [id.toUpperCase()],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    ...txSummary(r),
    nonce: r['nonce'] === null ? null : num(r['nonce']), codespace: String(r['codespace']), log: String(r['log']), size: num(r['size']),
    tx: json(r['tx_json']), rawBase64: strOrNull(r['raw_base64']), result: json(r['result_json']), blockTime: strOrNull(r['time_rfc3339']),
    alsoAt: rows.slice(1).map((o) => ({ height: num(o['height']), index: num(o['idx']), code: num(o['code']) })),
  };
}

export function listTxs(ix: IndexDb, opts: ListTxsOptions = {}): { total: number; items: TxSummary[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (opts.kind !== undefined) { where.push('kind = ?'); params.push(opts.kind); }
  if (opts.signer !== undefined) { where.push('signer = ?'); params.push(opts.signer.toLowerCase()); }
  if (opts.fromHeight !== undefined) { where.push('height >= ?'); params.push(opts.fromHeight); }
  if (opts.toHeight !== undefined) { where.push('height <= ?'); params.push(opts.toHeight); }
  if (opts.code === 'ok') where.push('code = 0');
  else if (opts.code === 'failed') where.push('code <> 0');
  else if (typeof opts.code === 'number') { where.push('code = ?'); params.push(opts.code); }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const dir = opts.order === 'asc' ? 'ASC' : 'DESC';
  const limit = clamp(opts.limit ?? 50, 1, 1000);
  const offset = Math.max(0, Math.trunc(opts.offset ?? 0));
  const sql = ix.sql();
  const total = num(sql.value(`SELECT count(*) FROM txs ${w}`, params));
  const items = sql.all(`SELECT id, height, idx, kind, signer, code FROM txs ${w} ORDER BY height ${dir}, idx ${dir} LIMIT ? OFFSET ?`, [...params, limit, offset]).map(txSummary);
  return { total, items };
}

export function counts(ix: IndexDb): Counts {
  const sql = ix.sql();
  const c = (table: string, where = ''): number => num(sql.value(`SELECT count(*) FROM ${table} ${where}`));
  const grouped = (q: string): Record<string, number> => Object.fromEntries(sql.all(q).map((r) => [String(r['k']), num(r['n'])]));
  return {
    lastHeight: ix.lastHeight(),
    chainId: ix.meta('chain_id') ?? null,
    blocks: c('blocks'),
    txs: c('txs'),
    txsFailed: c('txs', 'WHERE code <> 0'),
    txsByKind: grouped('SELECT coalesce(kind, \'(undecodable)\') AS k, count(*) AS n FROM txs GROUP BY kind ORDER BY k'),
    organisations: c('organisations'),
    members: c('members'),
    patients: c('patients'),
    proxies: c('proxies'),
    records: c('anchors', 'WHERE version = 1'),
    recordVersions: c('anchors'),
    consents: c('consents'),
    accesses: c('accesses'),
    accessesByDecision: grouped('SELECT decision AS k, count(*) AS n FROM accesses GROUP BY decision ORDER BY k'),
    proposals: c('proposals'),
    votes: c('votes'),
    policyVersions: c('policy_versions'),
    validatorChanges: c('validator_changes', 'WHERE height > 0'),
    verification: { verified: c('verification', 'WHERE status = \'verified\''), failed: c('verification', 'WHERE status = \'failed\''), failures: c('verification_failures') },
  };
}

const HEX64 = /^[0-9a-fA-F]{64}$/;
const HEX_PREFIX = /^[0-9a-fA-F]{6,63}$/;
const ORG_ID = /^[a-z0-9][a-z0-9-]{1,47}$/;
const PROPOSAL = /^(?:#|p(?:roposal)?\s*#?\s*)(\d{1,15})$/i;

/**
 * Finds what a search box string names: a height; a block hash, tx id (record, consent and
 * access ids are tx ids), SHA-256 of an anchored resource, or public key (patient pseudonym,
 * member, proxy, validator) — in full, or by a hex prefix of 6 or more digits; an organisation
 * by id or name; a proposal as "#n" or "proposal n". Exact matches come first.
 */
export function searchByText(ix: IndexDb, q: string, limit = 50): SearchHit[] {
  const text = q.trim();
  if (!text) return [];
  const sql = ix.sql();
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  const add = (h: SearchHit): void => {
    const k = `${h.type}:${h.key}`;
    if (!seen.has(k)) { seen.add(k); hits.push(h); }
  };
  const block = (r: Row): void => add({ type: 'block', key: String(r['height']), label: `block ${String(r['height'])} (${short(String(r['hash']))})`, height: num(r['height']) });
  const tx = (r: Row): void => {
    add({ type: 'tx', key: String(r['id']), label: `${strOrNull(r['kind']) ?? 'undecodable tx'} at ${String(r['height'])}:${String(r['idx'])}${num(r['code']) ? ` (code ${String(r['code'])})` : ''}`, height: num(r['height']) });
  };
  const key = (pk: string, exact: boolean): void => {
    const op = exact ? '= ?' : 'GLOB ?';
    const arg = exact ? pk : `${pk}*`;
    for (const r of sql.all(`SELECT pubkey, org, height FROM patients WHERE pubkey ${op} LIMIT ?`, [arg, limit])) {
      add({ type: 'patient', key: String(r['pubkey']), label: `patient ${short(String(r['pubkey']))} (registered by ${String(r['org'])})`, height: num(r['height']) });
    }
    for (const r of sql.all(`SELECT pubkey, org, roles, status, start_height FROM members WHERE pubkey ${op} LIMIT ?`, [arg, limit])) {
      add({ type: 'member', key: String(r['pubkey']), label: `member ${short(String(r['pubkey']))} of ${String(r['org'])} (${String(r['roles'])}; ${String(r['status'])})`, height: num(r['start_height']) });
    }
    for (const r of sql.all(`SELECT DISTINCT proxy, patient FROM proxies WHERE proxy ${op} LIMIT ?`, [arg, limit])) {
      add({ type: 'proxy', key: String(r['proxy']), label: `proxy ${short(String(r['proxy']))} for patient ${short(String(r['patient']))}`, height: null });
    }
    for (const r of sql.all(`SELECT pub_key, max(height) AS h FROM validator_changes WHERE pub_key ${op} GROUP BY pub_key LIMIT ?`, [arg, limit])) {
      add({ type: 'validator', key: String(r['pub_key']), label: `validator ${short(String(r['pub_key']))}`, height: num(r['h']) });
    }
  };
  const ledgerIds = (id: string): void => {
    for (const r of sql.all('SELECT record_id, resource_type, patient, height FROM anchors WHERE record_id = ? AND version = 1', [id])) {
      add({ type: 'record', key: id, label: `${String(r['resource_type'])} record of patient ${short(String(r['patient']))}`, height: num(r['height']) });
    }
    for (const r of sql.all('SELECT patient, status, granted_height FROM consents WHERE id = ?', [id])) {
      add({ type: 'consent', key: id, label: `consent of patient ${short(String(r['patient']))} (${String(r['status'])})`, height: num(r['granted_height']) });
    }
    for (const r of sql.all('SELECT patient, decision, height FROM accesses WHERE id = ?', [id])) {
      add({ type: 'access', key: id, label: `access to patient ${short(String(r['patient']))}'s records (${String(r['decision'])})`, height: num(r['height']) });
    }
  };

  if (/^\d{1,15}$/.test(text)) {
    const r = sql.get('SELECT height, hash FROM blocks WHERE height = ?', [Number(text)]);
    if (r) block(r);
  }
  const p = PROPOSAL.exec(text);
  if (p) {
    const r = sql.get('SELECT id, title, status, start_height FROM proposals WHERE id = ?', [Number(p[1])]);
    if (r) add({ type: 'proposal', key: String(r['id']), label: `proposal #${String(r['id'])}: ${String(r['title'])} (${String(r['status'])})`, height: num(r['start_height']) });
  }
  if (HEX64.test(text)) {
    const up = text.toUpperCase(), low = text.toLowerCase();
    for (const r of sql.all('SELECT height, hash FROM blocks WHERE hash = ?', [up])) block(r);
    ledgerIds(up);
    for (const r of sql.all('SELECT id, height, idx, kind, code FROM txs WHERE id = ? ORDER BY height, idx', [up])) tx(r);
    for (const r of sql.all('SELECT record_id, version, resource_type, height FROM anchors WHERE sha256 = ? LIMIT ?', [low, limit])) {
      add({ type: 'record', key: String(r['record_id']), label: `${String(r['resource_type'])} record, version ${String(r['version'])} has this SHA-256`, height: num(r['height']) });
    }
    key(low, true);
  } else if (HEX_PREFIX.test(text)) {
    const up = text.toUpperCase(), low = text.toLowerCase();
    for (const r of sql.all('SELECT height, hash FROM blocks WHERE hash GLOB ? LIMIT ?', [`${up}*`, limit])) block(r);
    for (const r of sql.all('SELECT id, height, idx, kind, code FROM txs WHERE id GLOB ? ORDER BY height, idx LIMIT ?', [`${up}*`, limit])) tx(r);
    key(low, false);
  }
  if (ORG_ID.test(text)) {
    for (const r of sql.all('SELECT id, name, kind, status, admitted_height FROM organisations WHERE id GLOB ? ORDER BY id <> ?, id LIMIT ?', [`${text}*`, text, limit])) {
      add({ type: 'organisation', key: String(r['id']), label: `${String(r['name'])} (${String(r['kind'])}, ${String(r['status'])})`, height: num(r['admitted_height']) });
    }
  }
  if (text.length >= 2) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    for (const r of sql.all('SELECT id, name, kind, status, admitted_height FROM organisations WHERE name LIKE ? ESCAPE \'\\\' ORDER BY id LIMIT ?', [like, limit])) {
      add({ type: 'organisation', key: String(r['id']), label: `${String(r['name'])} (${String(r['kind'])}, ${String(r['status'])})`, height: num(r['admitted_height']) });
    }
  }
  return hits.slice(0, limit);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.trunc(n)));
}
