// A sealed shard's summary in the core (schema.ts shard_txs, shard_counts, hex_keys,
// record_types), taken
// once when it is sealed: its rows never change after that except through patches, which
// change no counted column. The open shard is counted live (query.ts counts).
import { hexKey } from './hexkey';
import { KeyClass } from './lookup';
import type { Sql } from './sql';

/** Transactions by kind ('' when undecodable) and code. */
export const TX_GROUPS = 'SELECT coalesce(kind, \'\') AS kind, code, count(*) AS n FROM txs GROUP BY kind, code';

/** Row counts (what = 'rows') and accesses by decision, as (what, k, n): what counts() needs. */
export const ROW_COUNTS = `
  SELECT 'rows' AS what, 'blocks' AS k, count(*) AS n FROM blocks
  UNION ALL SELECT 'rows', 'patients', count(*) FROM patients
  UNION ALL SELECT 'rows', 'anchors', count(*) FROM anchors
  UNION ALL SELECT 'rows', 'records', count(*) FROM anchors WHERE version = 1
  UNION ALL SELECT 'rows', 'consents', count(*) FROM consents
  UNION ALL SELECT 'rows', 'accesses', count(*) FROM accesses
  UNION ALL SELECT 'decision', decision, count(*) FROM accesses GROUP BY decision`;

/** Counts by key that spare listTxs and the explorer's party views opening a shard. */
const KEY_COUNTS = `
  SELECT 'signer' AS what, signer AS k, count(*) AS n FROM txs WHERE signer IS NOT NULL GROUP BY signer
  UNION ALL SELECT 'access_org', org, count(*) FROM accesses GROUP BY org
  UNION ALL SELECT 'consent_grantee', grantee, count(*) FROM consents GROUP BY grantee`;

/** Every hex value a lookup may ask a shard for, by class (lookup.ts). */
const HEX_VALUES: [KeyClass, string][] = [
  [KeyClass.id, 'SELECT id AS v FROM txs'], [KeyClass.id, 'SELECT hash AS v FROM blocks'], [KeyClass.id, 'SELECT sha256 AS v FROM anchors'],
  [KeyClass.patient, 'SELECT pubkey AS v FROM patients'],
  [KeyClass.party, 'SELECT DISTINCT patient AS v FROM consents'], [KeyClass.party, 'SELECT DISTINCT patient AS v FROM accesses'],
];

/** Writes shard `id`'s summary into the core (inside the caller's transaction). */
export function summarize(shard: Sql, core: Sql, id: number): void {
  for (const r of shard.all(TX_GROUPS)) core.run('INSERT INTO shard_txs (shard, kind, code, n) VALUES (?, ?, ?, ?)', [id, r['kind']!, r['code']!, r['n']!]);
  for (const r of [...shard.all(ROW_COUNTS), ...shard.all(KEY_COUNTS)]) {
    if (Number(r['n']) > 0) core.run('INSERT INTO shard_counts (what, key, shard, n) VALUES (?, ?, ?, ?)', [r['what']!, r['k']!, id, r['n']!]);
  }
  for (const r of shard.all('SELECT DISTINCT record_id, resource_type FROM anchors WHERE version = 1')) {
    core.run('INSERT OR IGNORE INTO record_types (k, resource_type) VALUES (?, ?)', [hexKey(String(r['record_id'])), r['resource_type']!]);
  }
  for (const cls of new Set(HEX_VALUES.map(([c]) => c))) {
    const keys = new Set<number>();
    for (const [c, q] of HEX_VALUES) if (c === cls) for (const r of shard.all(q)) keys.add(hexKey(String(r['v'])));
    for (const k of keys) core.run('INSERT INTO hex_keys (cls, k, shard) VALUES (?, ?, ?)', [cls, k, id]);
  }
}
