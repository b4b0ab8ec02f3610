import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, StoreLockedError, type ReplicaStore, type StoreRecord } from '../store';
import {
  DERIVED_TABLES, VERIFICATION_TABLES, counts, getBlock, getTx, listBlocks, listTxs, openIndex, rebuildIndex, recordVerification,
  searchByText, txEvents, updateIndex, type IndexDb, type OpenIndexOptions,
} from './index';
import { writeIndexFile } from './index-file';
import { loadSqlJs } from './sqljs';
import { FixtureChain, appendHeights, bulkBlocks, scriptedChain } from './test-chain';

const dirs: string[] = [];
const open: { close(): Promise<void> }[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'custos-index-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const o of open.splice(0)) await o.close().catch(() => undefined);
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function storeWith(fx: FixtureChain, heights: StoreRecord[][]): Promise<ReplicaStore> {
  const s = await openStore(await tmp());
  open.push(s);
  await s.putGenesis(fx.genesisBytes());
  await appendHeights(s, heights);
  return s;
}

/** Small shards, so that the scripted chain crosses several shard boundaries (a grant and its revoke, an anchor and its amendment in different shards). */
const SHARD_TXS = 4;

async function index(path: string | null, log: string[] = [], opts: OpenIndexOptions = {}): Promise<IndexDb> {
  const ix = await openIndex(path, { log: (l) => log.push(l), shardTxs: SHARD_TXS, ...opts });
  open.push(ix);
  return ix;
}

/** Every row of every table (wherever it lives: the core or the shards), order-independent. */
function dump(ix: IndexDb): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of [...DERIVED_TABLES, ...VERIFICATION_TABLES]) {
    out[t] = ix.select(`SELECT * FROM ${t}`).map((r) => JSON.stringify(Object.values(r))).sort();
  }
  return out;
}

/** The scripted chain, generated once (its records are immutable bytes). */
let shared: { fx: FixtureChain; heights: StoreRecord[][]; ids: ReturnType<typeof scriptedChain>['ids'] } | undefined;
function scripted() {
  if (!shared) {
    const fx = new FixtureChain();
    shared = { fx, ...scriptedChain(fx) };
  }
  return shared;
}

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const rows = (ix: IndexDb, q: string, p: (string | number)[] = []) => ix.select(q, p);

describe('sql.js loading', () => {
  it('finds the wasm in node_modules and opens a database', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    expect(db.exec('SELECT sqlite_version()')[0]?.values[0]?.[0]).toMatch(/^3\./);
    db.close();
  });
});

describe('index of a scripted consent-ledger chain', () => {
  it('records every kind as the ledger decided it, and matches the ledger state', async () => {
    const { fx, heights, ids } = scripted();
    const store = await storeWith(fx, heights);
    const ix = await index(null);
    const rep = await updateIndex(store, ix);
    expect(rep).toMatchObject({ from: 1, to: 14, heights: 14, stopped: null, rebuilt: null, lastHeight: 14 });
    const m = fx.c.machine;
    const q = (path: string) => JSON.parse(new TextDecoder().decode(m.query(path, new Uint8Array()).value)) as Record<string, unknown>;

    const n = counts(ix);
    expect(n).toMatchObject({
      lastHeight: 14, chainId: 'custos-index-test', blocks: 14, txsFailed: 3, organisations: 8, patients: 2, proxies: 1, records: 2,
      recordVersions: 3, consents: 2, accesses: 5, proposals: 5, votes: 22, policyVersions: 2, validatorChanges: 1,
      accessesByDecision: { permit: 1, deny: 3, break_glass: 1 },
    });
    expect(n.txs).toBe(rep.txs);
    expect(n.txsByKind['(undecodable)']).toBe(1);

    // Decisions come from the ledger's results; each equals the ledger's own state.
    for (const id of Object.values(ids.accesses)) {
      const [a] = rows(ix, 'SELECT * FROM accesses WHERE id = ?', [id]);
      const st = q(`/access/${id}`);
      expect(a).toMatchObject({ decision: st['decision'], deny_reason: st['reason'] ?? null, actor_org: st['actor_org'], patient: st['patient'], height: st['height'] });
    }
    expect(rows(ix, 'SELECT id, deny_reason FROM accesses WHERE decision = \'deny\' ORDER BY height').map((r) => r['deny_reason']))
      .toEqual(['no_consent', 'consent_revoked', 'org_inactive']);
    const [bg] = rows(ix, 'SELECT * FROM accesses WHERE id = ?', [ids.accesses.breakGlass]);
    expect(bg).toMatchObject({
      decision: 'break_glass', break_glass: 1, justification_len: 'unconscious patient in A&E'.length, review_deadline: (q(`/access/${ids.accesses.breakGlass}`)['review_deadline']),
      reviewed_height: 6, review_outcome: 'justified', review_late: 0, record_count: 2,
    });
    expect(rows(ix, 'SELECT access_id FROM access_records WHERE record_id = ?', [ids.records.r2]).map((r) => r['access_id']).sort())
      .toEqual([ids.accesses.breakGlass, ids.accesses.orgInactive].sort());

    const [c1] = rows(ix, 'SELECT * FROM consents WHERE id = ?', [ids.consents.c1]);
    expect(c1).toMatchObject({ status: 'revoked', revoked_height: 6, revoked_by: ids.patients[0], grantee: 'st-mary-hospital', scope_kind: 'all', purposes: 'TREAT' });
    const [c2] = rows(ix, 'SELECT * FROM consents WHERE id = ?', [ids.consents.c2]);
    expect(c2).toMatchObject({ status: 'active', via_proxy: 1, grantor: ids.proxy, grantee_kind: 'role', grantee: 'clinician@st-mary-hospital', purposes: 'ETREAT,TREAT' });
    expect(JSON.parse(String(c2!['scope_json']))).toEqual({ kind: 'records', records: [ids.records.r1] });

    const versions = rows(ix, 'SELECT * FROM anchors WHERE record_id = ? ORDER BY version', [ids.records.r1]);
    const rec = q(`/record/${ids.records.r1}`) as { versions: { sha256: string; uri: string }[] };
    expect(versions.map((v) => [v['sha256'], v['uri'], v['resource_type']])).toEqual(rec.versions.map((v) => [v.sha256, v.uri, 'Observation']));
    expect(versions[1]).toMatchObject({ prev_sha256: rec.versions[0]!.sha256, reason: 'correction', custodian: 'st-mary-hospital' });

    expect(rows(ix, 'SELECT * FROM members WHERE pubkey = ?', [ids.newMember])[0]).toMatchObject({ status: 'ended', roles: 'clinician,nurse', start_height: 2, end_height: 7, end_reason: 'left' });
    expect(rows(ix, 'SELECT * FROM members WHERE pubkey = ?', [ids.newOrgAdmin])[0]).toMatchObject({ org: 'eastside-clinic', roles: 'admin', added_by: 'proposal/2', start_height: 10 });
    expect(rows(ix, 'SELECT * FROM organisations WHERE id = \'eastside-clinic\'')[0]).toMatchObject({ name: 'Eastside Clinic', kind: 'clinic', admitted_height: 10, admitted_by_proposal: 2 });
    expect(rows(ix, 'SELECT * FROM organisations WHERE id = \'acme-health\'')[0]).toMatchObject({ status: 'removed', removed_height: 13, removed_by_proposal: 5 });
    expect(rows(ix, 'SELECT status, revoked_height FROM proxies')).toEqual([{ status: 'revoked', revoked_height: 7 }]);

    expect(rows(ix, 'SELECT id, type, status, end_height, final_height, yes, no, eligible, policy_version FROM proposals ORDER BY id')).toEqual([
      { id: 1, type: 'policy_change', status: 'passed', end_height: 10, final_height: 10, yes: 5, no: 0, eligible: 5, policy_version: 2 },
      { id: 2, type: 'org_admit', status: 'passed', end_height: 10, final_height: 10, yes: 4, no: 0, eligible: 5, policy_version: null },
      { id: 3, type: 'validator_update', status: 'passed', end_height: 10, final_height: 10, yes: 4, no: 0, eligible: 5, policy_version: null },
      { id: 4, type: 'board_change', status: 'passed', end_height: 13, final_height: 13, yes: 4, no: 0, eligible: 5, policy_version: null },
      // #4 seated a sixth board member earlier in the same block (§9.1).
      { id: 5, type: 'org_remove', status: 'passed', end_height: 13, final_height: 13, yes: 4, no: 0, eligible: 6, policy_version: null },
    ]);
    expect(rows(ix, 'SELECT option, current FROM votes WHERE proposal_id = 1 AND voter = ? ORDER BY current', [fx.c.g.board[4]!.pubkey]))
      .toEqual([{ option: 'no', current: 0 }, { option: 'yes', current: 1 }]);
    const policies = q('/policy/versions') as unknown as { version: number; params: unknown }[];
    expect(rows(ix, 'SELECT version, params_json FROM policy_versions ORDER BY version').map((r) => [r['version'], JSON.parse(String(r['params_json']))]))
      .toEqual(policies.map((p) => [p.version, p.params]));
    expect(rows(ix, 'SELECT height, pub_key, power, proposal_id FROM validator_changes WHERE height > 0')).toEqual([{ height: 10, pub_key: ids.newValidator, power: 5, proposal_id: 3 }]);
    expect(rows(ix, 'SELECT pubkey, change FROM board_changes WHERE height > 0')).toEqual([{ pubkey: ids.newOrgAdmin, change: 'add' }]);

    // The query API returns plain JSON.
    const b5 = getBlock(ix, 5)!;
    expect(plain(b5)).toEqual(b5);
    expect(b5).toMatchObject({ height: 5, txCount: 6, txFailed: 3, verification: 'unverified', failures: [] });
    expect(b5.txs.map((t) => t.code)).toEqual([0, 0, 0, 3, 1, 5]);
    expect(getBlock(ix, 10)!.events!.map((e) => (e as { type: string }).type)).toContain('gov_tally');
    expect(getBlock(ix, 99)).toBeNull();
    const bad = getTx(ix, ids.malformed.toLowerCase())!;
    expect(bad).toMatchObject({ kind: null, code: 1, tx: null, rawBase64: Buffer.from('not a ledger transaction').toString('base64') });
    const acc = getTx(ix, ids.accesses.permit)!;
    expect(plain(acc)).toEqual(acc);
    expect(acc).toMatchObject({ kind: 'access.record', code: 0, result: { access_id: ids.accesses.permit, decision: 'permit' }, blockTime: expect.stringMatching(/Z$/) });
    expect((acc.tx as { body: { consent_id: string } }).body.consent_id).toBe(ids.consents.c1);
    expect((await txEvents(store, acc.height, acc.index))!.map((e) => (e as { type: string }).type)).toEqual(['custos_tx', 'access_record']);
    expect(getTx(ix, ids.replay)).toMatchObject({ kind: 'patient.register', code: 5 });
    expect(listTxs(ix, { kind: 'access.record', order: 'asc' }).items.map((t) => t.height)).toEqual([5, 5, 5, 7, 14]);
    expect(listTxs(ix, { code: 'failed' }).total).toBe(3);
    expect(listTxs(ix, { fromHeight: 9, toHeight: 9, limit: 5, offset: 10 })).toMatchObject({ total: 14, items: { length: 4 } });
    expect(listBlocks(ix, { limit: 3 }).map((b) => b.height)).toEqual([14, 13, 12]);

    // Search dispatch.
    const types = (s: string) => searchByText(ix, s).map((h) => `${h.type}:${h.key}`);
    expect(types('5')).toEqual(['block:5']);
    expect(types(ids.accesses.permit.toLowerCase())).toEqual([`access:${ids.accesses.permit}`, `tx:${ids.accesses.permit}`]);
    expect(types(ids.records.r1)).toEqual([`record:${ids.records.r1}`, `tx:${ids.records.r1}`]);
    expect(types(b5.hash)).toEqual(['block:5']);
    expect(types(ids.patients[0]!)).toEqual([`patient:${ids.patients[0]}`]);
    expect(types(ids.patients[0]!.slice(0, 10).toUpperCase())).toContain(`patient:${ids.patients[0]}`);
    expect(types(ids.newOrgAdmin)).toEqual([`member:${ids.newOrgAdmin}`]);
    expect(types(ids.newValidator)).toEqual([`validator:${ids.newValidator}`]);
    expect(types(ids.proxy)).toEqual([`proxy:${ids.proxy}`]);
    expect(types('acme')).toEqual(['organisation:acme-health']);
    expect(types('eastside clinic')).toEqual(['organisation:eastside-clinic']);
    expect(types('#4')).toEqual(['proposal:4']);
    expect(types('  ')).toEqual([]);
    expect(plain(searchByText(ix, 'hospital'))).toHaveLength(2);
  });

  it('a bulk workload indexes permits and denials as the ledger recorded them', async () => {
    const fx = new FixtureChain();
    const { heights } = scriptedChain(fx);
    const bulk: StoreRecord[][] = [];
    const txs = bulkBlocks(fx, 12, 15, (r) => bulk.push(r));
    const store = await storeWith(fx, [...heights, ...bulk]);
    const ix = await index(null);
    const rep = await updateIndex(store, ix, { batchHeights: 5 });
    expect(rep.heights).toBe(26);
    expect(counts(ix).txs).toBe(rep.txs);
    expect(rep.txs).toBeGreaterThanOrEqual(txs);
    expect(counts(ix).txsFailed).toBe(3); // only the scripted refusals
    const bulkAccesses = rows(ix, 'SELECT id, decision FROM accesses WHERE height > 14');
    expect(bulkAccesses.length).toBeGreaterThan(20);
    for (const a of bulkAccesses) {
      const st = JSON.parse(new TextDecoder().decode(fx.c.machine.query(`/access/${String(a['id'])}`, new Uint8Array()).value)) as { decision: string };
      expect(a['decision']).toBe(st.decision);
    }
    expect(new Set(bulkAccesses.map((a) => a['decision']))).toEqual(new Set(['permit', 'deny']));
  });
});

describe('incremental updates and rebuilds', () => {
  it('indexes only new heights, and any sequence of updates equals a rebuild from scratch', async () => {
    const { fx, heights } = scripted();
    const store = await storeWith(fx, heights.slice(0, 5));
    const ix = await index(null);
    expect(await updateIndex(store, ix)).toMatchObject({ from: 1, to: 5, heights: 5 });
    expect(await updateIndex(store, ix)).toMatchObject({ from: 6, to: 5, heights: 0 });
    await appendHeights(store, heights.slice(5, 9));
    expect(await updateIndex(store, ix, { batchHeights: 1 })).toMatchObject({ from: 6, to: 9, heights: 4 });
    await appendHeights(store, heights.slice(9));
    expect(await updateIndex(store, ix, { batchHeights: 2 })).toMatchObject({ from: 10, to: 14, heights: 5 });
    const incremental = dump(ix);

    const fresh = await index(null);
    await updateIndex(store, fresh);
    expect(dump(fresh)).toEqual(incremental);
    expect(await rebuildIndex(store, ix)).toMatchObject({ from: 1, to: 14, rebuilt: 'requested' });
    expect(dump(ix)).toEqual(incremental);
    expect(incremental['txs']!.length).toBeGreaterThan(40);
  });

  it('serialises concurrent writers (updates, verification results, checkpoints)', async () => {
    const { fx, heights } = scripted();
    const store = await storeWith(fx, heights);
    const ix = await index(join(await tmp(), 'index.sqlite'));
    const [a, , b] = await Promise.all([
      updateIndex(store, ix, { batchHeights: 1 }),
      recordVerification(ix, [{ height: 2, failures: [] }]),
      updateIndex(store, ix),
      ix.checkpoint(),
    ]);
    expect(a.heights + b.heights).toBe(14);
    expect(getBlock(ix, 2)!.verification).toBe('verified');
  });

  it('stops at a gap in the replica and resumes when the gap is filled', async () => {
    const { fx, heights } = scripted();
    const store = await storeWith(fx, [...heights.slice(0, 3), ...heights.slice(4, 8)]);
    const ix = await index(null);
    expect(await updateIndex(store, ix)).toMatchObject({ to: 3, lastHeight: 3 });
    await appendHeights(store, [heights[3]!]);
    expect(await updateIndex(store, ix)).toMatchObject({ from: 4, to: 8, lastHeight: 8 });
  });

  it('stops before a height it cannot read, keeping everything below it', async () => {
    const { fx, heights } = scripted();
    const broken = heights[5]!.map((r) => (r.kind === 'block_results' ? { ...r, payload: new TextEncoder().encode('{"height":"6","txs_results":') } : r));
    const store = await storeWith(fx, [...heights.slice(0, 5), broken, ...heights.slice(6)]);
    const log: string[] = [];
    const ix = await index(null, log);
    const rep = await updateIndex(store, ix);
    expect(rep).toMatchObject({ to: 5, lastHeight: 5, stopped: { height: 6 } });
    expect(rep.stopped!.reason).toMatch(/block_results.*not JSON/);
    expect(log.join('\n')).toMatch(/stopped before height 6/);
    expect(counts(ix).blocks).toBe(5);
  });

  it('rebuilds when heights it indexed are dropped from the replica and re-fetched', async () => {
    const { fx, heights } = scripted();
    const store = await storeWith(fx, heights);
    const log: string[] = [];
    const ix = await index(null, log);
    await updateIndex(store, ix);
    await recordVerification(ix, [{ height: 3, failures: [] }, { height: 12, failures: [] }]);
    const before = dump(ix);
    await store.dropRange(10, 14);
    await appendHeights(store, heights.slice(9));
    const rep = await updateIndex(store, ix);
    expect(rep.rebuilt).toMatch(/heights from 10 were dropped/);
    expect(log.join('\n')).toMatch(/rebuilding the index/);
    // The verification of the re-fetched heights is forgotten; the rest is identical.
    const after = dump(ix);
    expect(after['verification']).toEqual(before['verification']!.filter((r) => !r.startsWith('[12,')));
    expect({ ...after, verification: [], blocks: [], meta: [] }).toEqual({ ...before, verification: [], blocks: [], meta: [] });
    expect(getBlock(ix, 12)!.verification).toBe('unverified');
    expect(getBlock(ix, 3)!.verification).toBe('verified');
    expect(await updateIndex(store, ix)).toMatchObject({ rebuilt: null, heights: 0 });
  });
});

describe('verification results', () => {
  it('marks heights verified or failed with each failure, and keeps them across a rebuild', async () => {
    const { fx, heights } = scripted();
    const store = await storeWith(fx, heights.slice(0, 4));
    const ix = await index(null);
    await updateIndex(store, ix);
    await recordVerification(ix, [
      { height: 1n, failures: [] },
      { height: 2n, failures: [{ check: 'header.app_hash', expected: 'AA', found: 'BB', detail: 'app hash after replaying block 1' }] },
      { height: 6n, failures: [] }, // not indexed yet: applied when height 6 arrives
    ]);
    expect(getBlock(ix, 1)!.verification).toBe('verified');
    expect(getBlock(ix, 2)).toMatchObject({ verification: 'failed', failures: [{ check: 'header.app_hash', expected: 'AA', found: 'BB', detail: 'app hash after replaying block 1' }] });
    expect(getBlock(ix, 3)!.verification).toBe('unverified');
    await appendHeights(store, heights.slice(4, 6));
    await updateIndex(store, ix);
    expect(getBlock(ix, 6)!.verification).toBe('verified');
    await rebuildIndex(store, ix);
    expect(getBlock(ix, 2)!.verification).toBe('failed');
    expect(counts(ix).verification).toEqual({ verified: 2, failed: 1, failures: 1 });
    await recordVerification(ix, [{ height: 2, failures: [] }]); // a re-verify replaces the result
    expect(getBlock(ix, 2)).toMatchObject({ verification: 'verified', failures: [] });
  });
});

describe('the index file', () => {
  it('has one writer at a time: a second open is refused, naming the process, until the first closes', async () => {
    const file = join(await tmp(), 'index.sqlite');
    const ix = await index(file);
    await expect(index(file)).rejects.toThrow(new StoreLockedError(join(file, '..'), process.pid, 'being indexed'));
    await expect(index(file)).rejects.toThrow(/is being indexed by process \d+/);
    await ix.close();
    const next = await index(file);
    expect(next.opened.source).toBe('new'); // nothing was written
    await next.close();
    await expect(readFile(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('is checkpointed atomically, reloaded, and rebuilt when damaged or of another schema', async () => {
    const { fx, heights } = scripted();
    const store = await storeWith(fx, heights);
    const file = join(await tmp(), 'index.sqlite');
    const ix = await index(file);
    expect(ix.opened.source).toBe('new');
    await updateIndex(store, ix);
    await recordVerification(ix, [{ height: 1, failures: [] }]);
    const want = dump(ix);
    await ix.close();

    const again = await index(file);
    expect(again.opened.source).toBe('file');
    expect(dump(again)).toEqual(want);
    expect(await updateIndex(store, again)).toMatchObject({ heights: 0 });
    await again.close();

    // One flipped byte anywhere: the checksum catches it, the file is discarded and rebuilt.
    const bytes = await readFile(file);
    const at = Math.floor(bytes.length / 3);
    bytes[at] = bytes[at]! ^ 0x40;
    await writeFile(file, bytes);
    const log: string[] = [];
    const damaged = await index(file, log);
    expect(damaged.opened).toMatchObject({ source: 'discarded', reason: expect.stringMatching(/checksum mismatch/) });
    expect(log).toEqual([expect.stringMatching(/index\.sqlite checksum mismatch: expected [0-9a-f]{64}, found [0-9a-f]{64}; discarding it and rebuilding/)]);
    expect(counts(damaged).blocks).toBe(0);
    await updateIndex(store, damaged);
    expect(dump(damaged)['verification']).toEqual([]); // the verifier's results must be recorded again
    await recordVerification(damaged, [{ height: 1, failures: [] }]);
    expect(dump(damaged)).toEqual(want);
    await damaged.close();

    // Truncated, and garbage with no trailer.
    for (const mangle of [(b: Buffer) => b.subarray(0, b.length - 100), () => Buffer.from('hello')]) {
      await writeFile(file, mangle(await readFile(file)));
      const l: string[] = [];
      const x = await index(file, l);
      expect(x.opened.source).toBe('discarded');
      expect(l).toHaveLength(1);
      await x.close();
    }

    // A file of another schema version.
    const SQL = await loadSqlJs();
    const old = new SQL.Database();
    old.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); PRAGMA user_version = 999;');
    await writeIndexFile(file, old.export());
    old.close();
    const l: string[] = [];
    const x = await index(file, l);
    expect(x.opened).toMatchObject({ source: 'discarded', reason: expect.stringMatching(/schema version 999/) });
    expect(l[0]).toMatch(/rebuilding/);
  });
});
