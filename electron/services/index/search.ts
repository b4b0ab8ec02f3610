// searchByText across the core and the shards. Hex values are looked up in the core's
// hex_keys first, so only the shards that may hold them are opened; each shard answers in the
// order the single database did (an index order), and rows of several shards are merged in it.
import type { IndexDb } from './index-db';
import type { SearchHit } from './query';
import { num, strOrNull } from './row-views';
import { KeyClass } from './lookup';
import { mergedBy, rowsIn, shardsFor, shardsForPrefix } from './scan';
import type { Row } from './sql';

const short = (s: string): string => (s.length > 16 ? `${s.slice(0, 8)}…${s.slice(-8)}` : s);

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
    const ids = exact ? shardsFor(ix, KeyClass.patient, pk) : shardsForPrefix(ix, KeyClass.patient, pk);
    for (const r of mergedBy(rowsIn(ix, ids, `SELECT pubkey, org, height FROM patients WHERE pubkey ${op} ORDER BY pubkey LIMIT ?`, [arg, limit]), ['pubkey'], limit)) {
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
    const ids = shardsFor(ix, KeyClass.id, id);
    for (const r of rowsIn(ix, ids, 'SELECT record_id, resource_type, patient, height FROM anchors WHERE record_id = ? AND version = 1', [id])) {
      add({ type: 'record', key: id, label: `${String(r['resource_type'])} record of patient ${short(String(r['patient']))}`, height: num(r['height']) });
    }
    for (const r of rowsIn(ix, ids, 'SELECT patient, status, granted_height FROM consents WHERE id = ?', [id])) {
      add({ type: 'consent', key: id, label: `consent of patient ${short(String(r['patient']))} (${String(r['status'])})`, height: num(r['granted_height']) });
    }
    for (const r of rowsIn(ix, ids, 'SELECT patient, decision, height FROM accesses WHERE id = ?', [id])) {
      add({ type: 'access', key: id, label: `access to patient ${short(String(r['patient']))}'s records (${String(r['decision'])})`, height: num(r['height']) });
    }
  };

  if (/^\d{1,15}$/.test(text)) {
    const s = ix.shards.forHeight(Number(text));
    const r = s ? ix.shards.sql(s.id).get('SELECT height, hash FROM blocks WHERE height = ?', [Number(text)]) : undefined;
    if (r) block(r);
  }
  const p = PROPOSAL.exec(text);
  if (p) {
    const r = sql.get('SELECT id, title, status, start_height FROM proposals WHERE id = ?', [Number(p[1])]);
    if (r) add({ type: 'proposal', key: String(r['id']), label: `proposal #${String(r['id'])}: ${String(r['title'])} (${String(r['status'])})`, height: num(r['start_height']) });
  }
  if (HEX64.test(text)) {
    const up = text.toUpperCase(), low = text.toLowerCase();
    for (const r of rowsIn(ix, shardsFor(ix, KeyClass.id, up), 'SELECT height, hash FROM blocks WHERE hash = ? ORDER BY height', [up])) block(r);
    ledgerIds(up);
    for (const r of rowsIn(ix, shardsFor(ix, KeyClass.id, up), 'SELECT id, height, idx, kind, code FROM txs WHERE id = ? ORDER BY height, idx', [up])) tx(r);
    const sha = rowsIn(ix, shardsFor(ix, KeyClass.id, low), 'SELECT record_id, version, resource_type, height FROM anchors WHERE sha256 = ? ORDER BY record_id, version LIMIT ?', [low, limit]);
    for (const r of mergedBy(sha, ['record_id', 'version'], limit)) {
      add({ type: 'record', key: String(r['record_id']), label: `${String(r['resource_type'])} record, version ${String(r['version'])} has this SHA-256`, height: num(r['height']) });
    }
    key(low, true);
  } else if (HEX_PREFIX.test(text)) {
    const up = text.toUpperCase(), low = text.toLowerCase();
    const ids = shardsForPrefix(ix, KeyClass.id, up);
    for (const r of mergedBy(rowsIn(ix, ids, 'SELECT height, hash FROM blocks WHERE hash GLOB ? ORDER BY hash, height LIMIT ?', [`${up}*`, limit]), ['hash', 'height'], limit)) block(r);
    const txs: Row[] = [];
    for (const id of ids) {
      if (txs.length >= limit) break;
      txs.push(...ix.shards.sql(id).all('SELECT id, height, idx, kind, code FROM txs WHERE id GLOB ? ORDER BY height, idx LIMIT ?', [`${up}*`, limit - txs.length]));
    }
    for (const r of txs) tx(r);
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
