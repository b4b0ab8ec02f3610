// A real socket session against the ABCI server, speaking CometBFT's wire protocol.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Request, ResponseProcessProposal_ProposalStatus, CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { AbciApp, ABCI_CODESPACE, CODE_INTERNAL, CODE_NOT_READY, requestKind } from './app';
import { AbciServer } from './server';
import { StateStore } from './state-store';
import { silentLogger } from './log';
import { encodeFrame } from './framing';
import { LedgerDouble } from './testing/ledger-double';
import { AbciSocketClient } from './testing/socket-client';

const te = new TextEncoder();
const VAL = new Uint8Array(32).fill(3);
const time = { seconds: 1_700_000_000n, nanos: 5 };

let dir: string;
let server: AbciServer;
let port: number;
const clients: AbciSocketClient[] = [];

async function start(): Promise<void> {
  const app = new AbciApp({ factory: LedgerDouble, store: new StateStore(dir), log: silentLogger });
  server = new AbciServer(app, silentLogger);
  const addr = await server.listen('tcp://127.0.0.1:0');
  port = Number(addr.split(':').pop());
}
async function client(): Promise<AbciSocketClient> {
  const c = await AbciSocketClient.connect(port);
  clients.push(c);
  return c;
}
async function initChain(c: AbciSocketClient) {
  return c.call({
    initChain: {
      chainId: 'custos-test',
      initialHeight: 1n,
      validators: [{ pubKey: { ed25519: VAL }, power: 10n }],
      appStateBytes: te.encode(JSON.stringify({ kv: { greeting: 'hi' } })),
      time,
    },
  });
}
async function block(c: AbciSocketClient, height: bigint, txs: string[]) {
  const [fb, commit] = await c.batch([{ finalizeBlock: { height, time, txs: txs.map((t) => te.encode(t)) } }, { commit: {} }]);
  return { fb: fb!.finalizeBlock!, commit: commit!.commit! };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custos-abci-'));
  await start();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ABCI socket server', () => {
  it('answers Echo, Info and Flush on a fresh node', async () => {
    const c = await client();
    expect((await c.call({ echo: { message: 'ping' } })).echo?.message).toBe('ping');
    const info = (await c.call({ info: { version: '0.38.26' } })).info!;
    expect(info.lastBlockHeight).toBe(0n);
    expect(info.lastBlockAppHash.length).toBe(0);
    expect(info.appVersion).toBe(1n);
  });

  it('answers in request order and only flushes with the Flush', async () => {
    const c = await client();
    await initChain(c);
    const res = await c.batch([
      { echo: { message: 'a' } },
      { checkTx: { tx: te.encode('k=v'), type: CheckTxType.NEW } },
      { query: { path: '/kv', data: te.encode('greeting') } },
      { echo: { message: 'b' } },
    ]);
    expect(res.map((r) => requestKind(r as unknown as Request))).toEqual(['echo', 'checkTx', 'query', 'echo', 'flush']);
    expect(res[0]!.echo!.message).toBe('a');
    expect(res[3]!.echo!.message).toBe('b');

    // Without a Flush the server holds responses back (socket_server.go bufWriter).
    const early = c.expect(1, 300);
    c.writeRaw(encodeFrame(Request.encode(Request.fromPartial({ echo: { message: 'held' } })).finish()));
    await expect(early).rejects.toThrow('response timeout');
  });

  it('reassembles requests split across TCP chunks and merged into one', async () => {
    const c = await client();
    const frames = Buffer.concat(
      [{ echo: { message: 'x'.repeat(200) } }, { echo: { message: 'y' } }, { flush: {} }].map((r) =>
        encodeFrame(Request.encode(Request.fromPartial(r)).finish()),
      ),
    );
    const got = c.expect(3);
    for (let i = 0; i < frames.length; i += 5) {
      c.writeRaw(frames.subarray(i, i + 5));
      await new Promise((r) => setTimeout(r, 1));
    }
    const res = await got;
    expect(res[0]!.echo!.message).toBe('x'.repeat(200));
    expect(res[1]!.echo!.message).toBe('y');
    expect(res[2]!.flush).toBeDefined();
  });

  it('runs InitChain, CheckTx, PrepareProposal, FinalizeBlock, Commit and Query', async () => {
    const c = await client();
    const ic = (await initChain(c)).initChain!;
    expect(ic.validators).toEqual([{ pubKey: { ed25519: VAL, secp256k1: undefined }, power: 10n }]);
    expect(ic.appHash.length).toBe(32);

    const check = async (tx: string, type = CheckTxType.NEW) => (await c.call({ checkTx: { tx: te.encode(tx), type } })).checkTx!;
    expect((await check('a=1')).code).toBe(0);
    expect(await check('nonsense')).toMatchObject({ code: 1, log: expect.stringContaining('malformed') });
    expect(await check('badsig:a=1')).toMatchObject({ code: 2, log: expect.stringContaining('signature') });
    expect(await check('throw=1')).toMatchObject({ code: CODE_INTERNAL, codespace: ABCI_CODESPACE, log: expect.stringContaining('internal error') });

    const pp = (await c.call({ prepareProposal: { maxTxBytes: 10n, txs: [te.encode('a=1'), te.encode('b=2'), te.encode('c=3')] } })).prepareProposal!;
    expect(pp.txs.length).toBe(2); // each takes 1 + 1 + 3 = 5 bytes of the 10
    expect((await c.call({ processProposal: { height: 1n, txs: pp.txs } })).processProposal!.status).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);

    const { fb, commit } = await block(c, 1n, ['a=1', 'nonsense', `val:${Buffer.from(VAL).toString('hex')}=0`]);
    expect(fb.txResults.map((r) => r.code)).toEqual([0, 1, 0]);
    expect(fb.txResults[0]!.events[0]!.attributes[0]).toEqual({ key: 'key', value: 'a', index: true });
    expect(fb.validatorUpdates).toEqual([{ pubKey: { ed25519: VAL, secp256k1: undefined }, power: 0n }]);
    expect(fb.events[0]!.type).toBe('kvblock');
    expect(commit.retainHeight).toBe(0n);

    // Replay of a committed tx is refused (recheck too).
    expect(await check('a=1', CheckTxType.RECHECK)).toMatchObject({ code: 3, log: expect.stringContaining('replay') });

    const q = (await c.call({ query: { path: '/kv', data: te.encode('a') } })).query!;
    expect(q).toMatchObject({ code: 0, height: 1n });
    expect(Buffer.from(q.value).toString()).toBe('1');
    expect((await c.call({ query: { path: '/nope', data: new Uint8Array(0) } })).query!.code).toBe(1);

    const info = (await c.call({ info: {} })).info!;
    expect(info.lastBlockHeight).toBe(1n);
    expect(Buffer.from(info.lastBlockAppHash)).toEqual(Buffer.from(fb.appHash));
  });

  it('serves the four connections CometBFT opens, interleaved', async () => {
    const [consensus, mempool, query, snapshot] = await Promise.all([client(), client(), client(), client()]);
    await initChain(consensus!);
    const [m, q, s] = await Promise.all([
      mempool!.batch(Array.from({ length: 50 }, (_, i) => ({ checkTx: { tx: te.encode(`k${i}=v`) } }))),
      query!.call({ query: { path: '/kv', data: te.encode('greeting') } }),
      snapshot!.call({ listSnapshots: {} }),
      block(consensus!, 1n, ['x=1']),
    ]);
    expect(m.length).toBe(51);
    expect(m.slice(0, 50).every((r) => r.checkTx?.code === 0)).toBe(true);
    expect(Buffer.from(q.query!.value).toString()).toBe('hi');
    expect(s.listSnapshots!.snapshots).toEqual([]);
  });

  it('answers ExtendVote, VerifyVoteExtension and the snapshot calls', async () => {
    const c = await client();
    await initChain(c);
    const [ev, vve, offer, load] = await c.batch([
      { extendVote: { height: 1n } },
      { verifyVoteExtension: { height: 1n } },
      { offerSnapshot: {} },
      { loadSnapshotChunk: {} },
    ]);
    expect(ev!.extendVote!.voteExtension.length).toBe(0);
    expect(vve!.verifyVoteExtension!.status).toBe(1);
    expect(offer!.offerSnapshot!.result).toBe(2); // ABORT
    expect(load!.loadSnapshotChunk!.chunk.length).toBe(0);
  });

  it('refuses CheckTx and Query with a code before InitChain, and FinalizeBlock with an exception', async () => {
    const c = await client();
    expect((await c.call({ checkTx: { tx: te.encode('a=1') } })).checkTx).toMatchObject({ code: CODE_NOT_READY, codespace: ABCI_CODESPACE });
    expect((await c.call({ query: { path: '/kv' } })).query).toMatchObject({ code: CODE_NOT_READY });
    const got = c.expect(1);
    c.writeRaw(encodeFrame(Request.encode(Request.fromPartial({ finalizeBlock: { height: 1n, time } })).finish()));
    const [res] = await got;
    expect(res!.exception?.error).toMatch(/finalizeBlock: FinalizeBlock before InitChain/);
  });

  it('answers garbage with a ResponseException, closes that connection and keeps serving', async () => {
    const c = await client();
    const got = c.expect(1);
    c.writeRaw(Uint8Array.from([0x03, 0xff, 0xff, 0xff]));
    const [res] = await got;
    expect(res!.exception?.error).toMatch(/error reading message/);
    const c2 = await client();
    expect((await c2.call({ echo: { message: 'still here' } })).echo?.message).toBe('still here');
  });
});

describe('restart recovery', () => {
  it('restores height and app hash from the persisted state and carries on', async () => {
    const c = await client();
    await initChain(c);
    await block(c, 1n, ['a=1']);
    const { fb: fb2 } = await block(c, 2n, ['b=2']);
    c.close();
    await server.close();

    await start();
    const c2 = await client();
    const info = (await c2.call({ info: {} })).info!;
    expect(info.lastBlockHeight).toBe(2n);
    expect(Buffer.from(info.lastBlockAppHash)).toEqual(Buffer.from(fb2.appHash));
    expect(Buffer.from((await c2.call({ query: { path: '/kv', data: te.encode('b') } })).query!.value).toString()).toBe('2');
    expect((await c2.call({ checkTx: { tx: te.encode('a=1') } })).checkTx!.code).toBe(3);
    const { fb: fb3 } = await block(c2, 3n, ['c=3']);
    expect(fb3.txResults[0]!.code).toBe(0);
  });

  it('does not persist a block that was finalized but not committed', async () => {
    const c = await client();
    await initChain(c);
    await block(c, 1n, ['a=1']);
    await c.call({ finalizeBlock: { height: 2n, time, txs: [te.encode('b=2')] } });
    c.close();
    await server.close();
    await start();
    expect((await (await client()).call({ info: {} })).info!.lastBlockHeight).toBe(1n);
  });

  it('refuses a corrupted state file instead of silently starting over', async () => {
    const c = await client();
    await initChain(c);
    await block(c, 1n, ['a=1']);
    c.close();
    await server.close();
    const file = new StateStore(dir).path;
    const raw = readFileSync(file);
    raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1);
    writeFileSync(file, raw);
    expect(() => new AbciApp({ factory: LedgerDouble, store: new StateStore(dir), log: silentLogger })).toThrow(/checksum mismatch/);
    await start().catch(() => undefined); // leave a server for afterEach
  });
});
