// The console's methods and event at the process boundary: every malformed payload is refused
// before a handler runs (dispatch → 'bad-request'), and an answer that does not fit its schema
// never leaves the host ('internal').
import { describe, expect, it, vi } from 'vitest';
import { checkEvent, methodNames } from './contract';
import { dispatch, type Handlers } from './dispatch';
import { ApiError } from './result';

const SHA = 'a'.repeat(64);
const status = {
  dataDir: '/data', nativeDialogs: false, replicas: [], openId: null, busy: null, notice: null,
  sync: { state: 'idle', phase: null, height: 0, durableHeight: 0, target: 0, blocksPerSecond: 0, etaSeconds: null, heightsWritten: 0, crossChecked: 0, singleSource: 0, endpoints: [], forks: [], error: null, startedAt: null, finishedAt: null },
  verify: { state: 'idle', step: null, height: 0, from: 0, to: 0, done: 0, total: 0, blocksPerSecond: 0, etaSeconds: null, failures: 0, error: null, startedAt: null, finishedAt: null },
};

function handlers(): { h: Handlers; called: ReturnType<typeof vi.fn> } {
  const called = vi.fn();
  const h = Object.fromEntries(methodNames.map((m) => [m, (req: unknown) => { called(m, req); throw new ApiError('unavailable', 'stub'); }])) as unknown as Handlers;
  return { h, called };
}

const refused: [string, unknown, RegExp][] = [
  ['profile.create', { name: 'x', chainId: 'c', endpoints: ['http://a:1'], genesisSha256: SHA.toUpperCase() }, /genesisSha256/],
  ['profile.create', { name: 'x', chainId: 'c', endpoints: ['http://a:1'], genesisSha256: SHA.slice(1) }, /genesisSha256/],
  ['profile.create', { name: 'x', chainId: 'c', endpoints: ['ftp://a:1'], genesisSha256: SHA }, /endpoints\[0\]/],
  ['profile.create', { name: 'x', chainId: 'bad chain', endpoints: ['http://a:1'], genesisSha256: SHA }, /chainId/],
  ['profile.create', { name: 'x'.repeat(81), chainId: 'c', endpoints: ['http://a:1'], genesisSha256: SHA }, /name/],
  ['profile.create', { name: 'x', chainId: 'c', endpoints: ['http://a:1'], genesisSha256: SHA, admin: true }, /unexpected key "admin"/],
  ['profile.probe', { endpoints: Array.from({ length: 17 }, (_, i) => `http://n${i}:1`) }, /at most 16/],
  ['replica.open', { id: '../etc' }, /id/],
  ['replica.open', { id: 'Demo' }, /id/],
  ['verify.start', { full: 'yes' }, /full/],
  ['verify.participation', { maxColumns: 5000 }, /maxColumns/],
  ['report.export', { format: 'html', path: '/tmp/r.html' }, /format/],
  ['report.export', { format: 'pdf', path: 'relative/r.pdf' }, /path/],
  ['report.export', { format: 'pdf', path: '/tmp/a\0b.pdf' }, /path/],
  ['report.export', { format: 'pdf' }, /path/],
  ['bundle.export', { path: 42 }, /path/],
  ['bundle.import', { path: '/tmp/x.bundle', genesisSha256: 'nope' }, /genesisSha256/],
  ['explorer.block', { height: -1 }, /height/],
  ['explorer.block', { height: 1.5 }, /height/],
  ['explorer.tx', { id: 'zz' }, /id/],
  ['explorer.tx', { id: 'A'.repeat(65) }, /id/],
  ['explorer.search', { q: 'x'.repeat(201) }, /q/],
  ['explorer.blocks', { before: null, limit: 0 }, /limit/],
  ['explorer.party', { key: 'A'.repeat(64), org: null }, /key/],
  ['explorer.party', { key: null, org: 'Not An Org' }, /org/],
];

describe('console methods: requests', () => {
  it.each(refused)('%s refuses %j', async (method, payload, why) => {
    const { h, called } = handlers();
    const r = await dispatch(h, method, payload);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad-request');
      expect(r.error.message).toMatch(why);
    }
    expect(called).not.toHaveBeenCalled();
  });

  it('passes well-formed requests to the handler', async () => {
    const { h, called } = handlers();
    for (const [m, p] of [
      ['profile.create', { name: 'Consortium', chainId: 'custos-devnet', endpoints: ['http://127.0.0.1:26657', 'https://node.example/rpc'], genesisSha256: SHA }],
      ['report.export', { format: 'pdf', path: null }],
      ['report.export', { format: 'json', path: '/home/auditor/report.json' }],
      ['explorer.party', { key: SHA, org: null }],
      ['explorer.block', { height: 12 }],
    ] as const) {
      expect(await dispatch(h, m, p)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    }
    expect(called).toHaveBeenCalledTimes(5);
  });
});

describe('console methods: responses', () => {
  it('never sends an answer that does not fit its schema', async () => {
    const onInternalError = vi.fn();
    const { h } = handlers();
    const leaky = { ...h, 'console.status': () => ({ ...status, secret: '/home/me/.ssh' }) } as unknown as Handlers;
    expect(await dispatch(leaky, 'console.status', {}, { onInternalError })).toEqual({ ok: false, error: { code: 'internal', message: 'console.status produced an invalid response; see the host log' } });
    expect(onInternalError).toHaveBeenCalledOnce();
    const fine = { ...h, 'console.status': () => status } as unknown as Handlers;
    expect(await dispatch(fine, 'console.status', {})).toEqual({ ok: true, result: status });
  });
});

describe('console.status event', () => {
  it('is checked like a response', () => {
    expect(checkEvent('console.status', status).ok).toBe(true);
    expect(checkEvent('console.status', { ...status, sync: { ...status.sync, state: 'exploded' } }).ok).toBe(false);
    expect(checkEvent('console.status', { ...status, replicas: [{ id: 'x' }] }).ok).toBe(false);
    expect(checkEvent('console.status', { ...status, verify: { ...status.verify, blocksPerSecond: Number.NaN } }).ok).toBe(false);
  });
});
