// The state file is written on a schedule, not necessarily at every Commit; a restart then
// reports the last written height, and CometBFT replays the blocks above it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { AbciApp } from './app';
import { StateStore } from './state-store';
import { silentLogger } from './log';
import { LedgerDouble } from './testing/ledger-double';

const te = new TextEncoder();
const time = { seconds: 1_700_000_000n, nanos: 0 };
let dir: string;

const app = (persist?: { everyBlocks?: number; everyMs?: number }) =>
  new AbciApp({ factory: LedgerDouble, store: new StateStore(dir), log: silentLogger, persist });
const call = (a: AbciApp, req: Partial<Request>) => a.handle(req as Request) as Response;

function init(a: AbciApp) {
  call(a, { initChain: { chainId: 'custos-test', initialHeight: 1n, validators: [{ pubKey: { ed25519: new Uint8Array(32).fill(3) }, power: 10n }], appStateBytes: te.encode('{}'), time, consensusParams: undefined } });
}
function block(a: AbciApp, h: bigint, empty = false) {
  call(a, { finalizeBlock: { height: h, time, txs: empty ? [] : [te.encode(`k${h}=v`)], decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(0), nextValidatorsHash: new Uint8Array(0), proposerAddress: new Uint8Array(20) } });
  call(a, { commit: {} });
}
const height = (a: AbciApp) => call(a, { info: { version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' } }).info!.lastBlockHeight;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-persist-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('state persistence schedule', () => {
  it('writes every commit by default', () => {
    const a = app();
    init(a);
    for (let h = 1n; h <= 3n; h++) block(a, h);
    expect(height(app())).toBe(3n);
  });

  it('writes every N blocks when asked, and persistNow writes the rest', () => {
    const a = app({ everyBlocks: 3 });
    init(a);
    for (let h = 1n; h <= 5n; h++) block(a, h);
    expect(height(a)).toBe(5n);
    expect(height(app())).toBe(3n); // a crash now loses blocks 4 and 5; CometBFT replays them
    a.persistNow();
    expect(height(app())).toBe(5n);
  });

  it('writes after everyMs only once a block carried transactions; empty blocks wait for everyBlocks', async () => {
    const a = app({ everyBlocks: 4, everyMs: 50 });
    const pause = () => new Promise((r) => setTimeout(r, 60));
    init(a);
    block(a, 1n);
    block(a, 2n);
    expect(height(app())).toBe(1n); // the first write is due at once; block 2 is within 50 ms of it
    await pause();
    block(a, 3n, true);
    expect(height(app())).toBe(3n); // block 2 carried a tx and 50 ms passed
    await pause();
    for (let h = 4n; h <= 6n; h++) block(a, h, true);
    expect(height(app())).toBe(3n); // only empty blocks since: not due by time
    block(a, 7n, true);
    expect(height(app())).toBe(7n); // four blocks since the last write
  });
});
