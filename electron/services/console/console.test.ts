// The console service on the embedded demo replica (demo/custos-demo.bundle): first start
// imports it into a fresh data folder and verifies it against its shipped genesis pin; then
// reports, participation, exports with the path checks, explorer answers, a second start
// that reopens the replica, and a bundle refused for the wrong pin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkResponse, consoleStatus } from '../../../shared/api';
import * as s from '../../../shared/api/schema';
import { ConsoleService } from './console';
import { embeddedDemo } from './demo';
import * as explorer from './explorer/queries';

const demoDir = resolve(fileURLToPath(new URL('../../../demo/', import.meta.url)));
const demo = embeddedDemo(demoDir);
const tmp = mkdtempSync(join(tmpdir(), 'custos-console-'));
const log: string[] = [];

async function settled(c: ConsoleService): Promise<void> {
  await c.ready;
  for (let i = 0; i < 600 && c.status().verify.state !== 'done' && c.status().verify.state !== 'failed'; i++) await new Promise((r) => setTimeout(r, 100));
}

describe.skipIf(!demo)('console service on the embedded demo replica', () => {
  let c: ConsoleService;
  beforeAll(async () => {
    c = await ConsoleService.start({ dataDir: join(tmp, 'data'), demo, log: (l) => log.push(l), verifyThreads: 2 });
    await settled(c);
  }, 120_000);
  afterAll(async () => {
    await c?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('imports and verifies the demo on first start, against the shipped pin', () => {
    const st = c.status();
    expect(s.validate(consoleStatus, st).ok).toBe(true);
    expect(st.openId).toBe('demo');
    const r = st.replicas[0]!;
    expect(r).toMatchObject({ kind: 'demo', pinnedGenesis: demo!.genesisSha256, storedGenesis: demo!.genesisSha256, verification: { state: 'verified', failures: 0 } });
    expect(r.heights.complete).toBeGreaterThan(10);
    const report = c.report()!;
    expect(checkResponse('verify.report', { report }).ok).toBe(true);
    expect(report).toMatchObject({ ok: true, failuresTotal: 0, pinnedGenesisSha256: demo!.genesisSha256 });
    expect(report.counts.txs).toBeGreaterThan(100);
  });

  it('computes participation with the validator-set change', async () => {
    const p = (await c.participation(100))!;
    expect(checkResponse('verify.participation', { participation: p }).ok).toBe(true);
    expect(p.validators.length).toBeGreaterThanOrEqual(4);
    expect(p.changes.length).toBeGreaterThanOrEqual(1);
    expect(p.buckets.length).toBeLessThanOrEqual(100);
    // The promoted validator was not in the set before the change.
    const added = p.changes[0]!.added[0]!;
    const row = p.validators.findIndex((v) => v.address === added);
    expect(p.cells[row]![0]).toBe(-1);
  });

  it('exports the report as JSON and as a PDF that poppler reads', async () => {
    const json = await c.exportReport('json', join(tmp, 'r.json'));
    expect(JSON.parse(readFileSync(json.path!, 'utf8'))).toMatchObject({ format: 'custos-verification-report/1', ok: true });
    const pdf = await c.exportReport('pdf', join(tmp, 'r.pdf'));
    const bytes = readFileSync(pdf.path!);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    let text = '';
    try {
      text = execFileSync('pdftotext', ['-layout', pdf.path!, '-']).toString();
    } catch {
      return; // poppler not installed: the byte checks above stand
    }
    expect(text).toContain('VERIFIED');
    expect(text).toContain(demo!.genesisSha256);
    expect(text).toContain('Validator participation');
    expect(text).toContain('Sign-off');
  });

  it('refuses export paths that are relative, in a missing folder, of the wrong type, or a folder', async () => {
    await expect(c.exportReport('pdf', 'r.pdf')).rejects.toMatchObject({ code: 'bad-request' });
    await expect(c.exportReport('pdf', join(tmp, 'missing', 'r.pdf'))).rejects.toThrow(/does not exist/);
    await expect(c.exportReport('pdf', join(tmp, 'r.json'))).rejects.toThrow(/must end in .pdf/);
    await expect(c.exportReplica(tmp + '/')).rejects.toThrow(/must end in .bundle/);
    // No native dialog in this host: a path is required.
    await expect(c.exportReport('pdf', null)).rejects.toThrow(/type the path/);
  });

  it('answers explorer queries in the ledger’s terms', async () => {
    const ix = c.index()!;
    const counts = explorer.explorerCounts(ix);
    expect(counts.verified).toBe(counts.blocks);
    const hits = explorer.search(ix, 'riverside');
    expect(hits[0]).toMatchObject({ type: 'organisation', open: { org: 'riverside-hospital' } });
    const org = explorer.orgParty(ix, 'riverside-hospital')!;
    const consent = org.groups.find((g) => g.title.startsWith('Consents'))!.txs[0]!;
    const tx = explorer.tx(ix, consent.id)!;
    expect(tx.verification).toBe('verified');
    expect(tx.decoded.map((f) => f.label)).toEqual(expect.arrayContaining(['Patient pseudonym', 'Purposes of use', 'Valid from', 'Valid until']));
    const block = (await explorer.block(ix, tx.summary.height, (h) => c.rawBlock(h)))!;
    expect(checkResponse('explorer.block', { block }).ok).toBe(true);
    expect(block.txs.some((t) => t.id === tx.summary.id)).toBe(true);
    expect(JSON.parse(block.raw)).toHaveProperty('block_id');
    expect(explorer.search(ix, String(tx.summary.height))[0]).toMatchObject({ type: 'block', open: { block: tx.summary.height } });
  });

  it('refuses a bundle whose genesis is not the pinned one, and keeps nothing of it', async () => {
    const before = c.status().replicas.length;
    await expect(c.importReplica(demo!.bundle, 'b'.repeat(64))).rejects.toThrow(/not the pinned/);
    expect(c.status().replicas.length).toBe(before);
  });

  it('reopens the replica on the next start without importing again', async () => {
    await c.close();
    c = await ConsoleService.start({ dataDir: join(tmp, 'data'), demo, log: (l) => log.push(l), verifyThreads: 2 });
    await settled(c);
    const st = c.status();
    expect(st.replicas.map((r) => r.id)).toEqual(['demo']);
    expect(st.replicas[0]!.verification.state).toBe('verified');
    expect(c.report()!.run.checkpoint).toBe('used');
  }, 120_000);
});
