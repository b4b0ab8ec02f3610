// The workload against an in-process chain (testing/fake-chain.ts, the real state machine
// behind a CometBFT-shaped JSON-RPC): it runs clean, injects what it is asked to, and is
// deterministic: a second run on a fresh chain produces the same transactions, byte for byte.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoGenesis } from '../../shared/ledger/genesis';
import { ledgerTxOrderKey, orderByNonce } from '../abci/order';
import { LedgerClient, signerFromSeed } from './client';
import { FakeChain } from './testing/fake-chain';
import { ANOMALY_KINDS, parseAnomalyList } from './truth';
import { runWorkload } from './workload';
import { Rng } from './rng';
import { OffchainStore, sha256Hex } from './offchain';
import { observation } from './fhir';

const SEED = 'unit-devnet';
const appState = buildDemoGenesis(SEED, { patients: 300 }).appState;
const dirs: string[] = [];
const chains: FakeChain[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'custos-wl-'));
  dirs.push(d);
  return d;
};
const chain = async (o: Partial<Parameters<typeof FakeChain.start>[0]> = {}) => {
  const c = await FakeChain.start({ chainId: 'custos-unit', appState, ...o });
  chains.push(c);
  return c;
};
afterEach(async () => {
  for (const c of chains.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function play(c: FakeChain, dir: string, extra: Partial<Parameters<typeof runWorkload>[0]> = {}) {
  return runWorkload({ rpc: [c.url], devnetSeed: SEED, txs: 400, seed: 'day-x', anomalies: [...ANOMALY_KINDS], perKind: 1, offchainDir: join(dir, 'offchain'), truthFile: join(dir, 'truth.json'), ...extra });
}

describe('workload', () => {
  it('plays a clean day with every anomaly, and repeats it exactly on a fresh chain', async () => {
    const d1 = tmp(), d2 = tmp();
    const a = await play(await chain(), d1);
    const t = a.truth;
    expect(t.unexpected).toEqual([]);
    expect(t.counts.ok).toBe(t.counts.planned);
    expect(t.counts.planned).toBeGreaterThanOrEqual(380);
    expect(new Set(t.anomalies.map((x) => x.kind))).toEqual(new Set(ANOMALY_KINDS));
    for (const x of t.anomalies.filter((y) => y.expected?.reason)) expect(x.observed).toEqual(x.expected);
    expect(t.governance?.votes.length).toBe(5);
    const altered = t.anomalies.find((x) => x.kind === 'offchain_altered')!;
    expect(sha256Hex(readFileSync(altered.path!))).toBe(altered.alteredSha256);
    expect(JSON.parse(readFileSync(join(d1, 'truth.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(t)));

    const b = await play(await chain(), d2);
    // Everything but heights and block times (and the file paths, under another directory) repeats.
    const strip = (g: typeof t) => g.anomalies
      .map(({ path: _p, height: _h, heights: _hs, priorHeight: _ph, description: _d, reviewDeadline: _r, ...rest }) => rest)
      .sort((x, y) => (x.txId < y.txId ? -1 : 1));
    expect(strip(b.truth)).toEqual(strip(t));
    expect(b.truth.governance?.proposeTxId).toBe(t.governance?.proposeTxId);
    expect(readFileSync(join(d2, 'offchain', altered.path!.slice(join(d1, 'offchain').length)), 'utf8')).toBe(readFileSync(altered.path!, 'utf8'));
  }, 60_000);

  it('refuses to play the same day twice on one chain, and picks the next day by default', async () => {
    const c = await chain();
    const d = tmp();
    await play(c, d, { txs: 120, anomalies: [] });
    await expect(play(c, d, { txs: 120, anomalies: [] })).rejects.toThrow(/already been played/);
    const next = await play(c, d, { txs: 120, anomalies: [], seed: undefined, truthFile: undefined });
    expect(next.seed).toBe('day-1');
    expect(next.truth.unexpected).toEqual([]);
  }, 60_000);

  it('a proposer that reverses the mempool breaks nonce order; PrepareProposal nonce ordering repairs it', async () => {
    const signer = signerFromSeed(buildDemoGenesis(SEED).members.find((m) => m.label === 'st-mary-hospital/nurse-1')!.seed);
    const reqs = Array.from({ length: 6 }, (_, i) => ({
      signer, kind: 'patient.register' as const, body: { patient: signerFromSeed(new Uint8Array(32).fill(i + 1)).pubkey },
    }));
    const run = async (prepare?: (txs: Uint8Array[]) => Uint8Array[]) => {
      const c = await chain({ reverseBlocks: true, blockMs: 200, prepare });
      const client = await LedgerClient.connect({ rpc: [c.url] });
      try {
        return (await client.submit(reqs)).map((o) => o.status);
      } finally {
        await client.close();
      }
    };
    expect((await run()).filter((s) => s === 'failed').length).toBeGreaterThan(0);
    expect(await run((txs) => orderByNonce(txs, ledgerTxOrderKey).txs)).toEqual(reqs.map(() => 'ok'));
  });
});

describe('workload pieces', () => {
  it('parses anomaly lists', () => {
    expect(parseAnomalyList('all')).toEqual([...ANOMALY_KINDS]);
    expect(parseAnomalyList('volume-spike,no_consent')).toEqual(['no_consent', 'volume_spike']);
    expect(() => parseAnomalyList('snooping')).toThrow(/unknown anomaly/);
  });

  it('draws the same numbers from the same seed and different ones from forks', () => {
    const a = new Rng('s'), b = new Rng('s'), c = new Rng('s').fork('x');
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
  });

  it('stores documents by uri and detects an edit after anchoring', () => {
    const store = new OffchainStore(tmp());
    const r = observation({ rng: new Rng('doc'), id: 'abc123', patient: 'ab'.repeat(32), author: 'cd'.repeat(32), org: 'st-mary-hospital', when: '2031-01-01T08:00:00Z' }, 'lab');
    const doc = store.write('st-mary-hospital', r);
    expect(doc.uri).toBe('fhir://st-mary-hospital/Observation/abc123/_history/1');
    expect(store.digest(doc.uri)).toBe(doc.sha256);
    expect(JSON.stringify(r)).not.toMatch(/name|birth|address/i);
    const a = store.alter(doc.uri);
    expect(a.before).toBe(doc.sha256);
    expect(store.digest(doc.uri)).toBe(a.after);
    expect(a.after).not.toBe(a.before);
  });
});
