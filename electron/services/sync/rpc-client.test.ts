// The RPC client against a local fake node serving the CometBFT 0.38 kvstore vectors (and a
// fake chain where the vectors have too little), with a byzantine proxy for bad answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { startByzantineProxy, type ByzantineProxy } from '../../../test/support/byzantine-proxy';
import { buildFakeChain } from '../../../test/support/fake-chain';
import { chainHandler, startFakeNode, vectorsHandler, type FakeNode } from '../../../test/support/fake-node';
import { HAVE_VECTORS, readVector } from '../../../test/vectors';
import { compactJson } from './json-bytes';
import { isStrictJson } from './json-strict';
import { RpcClient, type RpcResult } from './rpc-client';
import { RpcClientError, isHeightUnavailable } from './rpc-errors';
import { sha256Hex } from './genesis';

const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

async function rejection(p: Promise<unknown>): Promise<RpcClientError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RpcClientError);
    return e as RpcClientError;
  }
  throw new Error('expected a rejection');
}

describe.skipIf(!HAVE_VECTORS)('RpcClient against the kvstore vectors', () => {
  let node: FakeNode;
  let proxy: ByzantineProxy;
  const result = (f: string): unknown => (readVector(`cometbft-v0.38-kvstore/${f}`) as { result: unknown }).result;

  beforeAll(async () => {
    node = await startFakeNode(vectorsHandler(), { indent: true });
    proxy = await startByzantineProxy(node.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await node?.close();
  });

  it('serves each method, keeping the result bytes exactly as served', async () => {
    const c = new RpcClient(node.url);
    const st = await c.status();
    expect(st).toEqual({ network: 'dockerchain', latestHeight: 232, earliestHeight: 1, catchingUp: false });
    const b = await c.block(10);
    expect(b.value).toEqual(result('block_at_height_10.json'));
    expect(JSON.parse(dec(b.raw))).toEqual(result('block_at_height_10.json'));
    expect(dec(b.raw)).toContain('\n      "header": {'); // the node's indentation, not a re-serialization
    expect((await c.commit(10)).value).toEqual(result('commit_at_height_10.json'));
    expect((await c.blockResults(10)).value).toEqual(result('block_results_at_height_10.json'));
    expect((await c.blockchain(1, 10)).value).toEqual(result('blockchain_from_1_to_10.json'));
    const v = await c.validators(10);
    expect((v.value as { total: string }).total).toBe('1');
  });

  it('hashes the genesis in its compact form (what genesis_chunked serves)', async () => {
    const g = await new RpcClient(node.url).genesis();
    const expected = enc(JSON.stringify((result('genesis.json') as { genesis: unknown }).genesis));
    expect(g.via).toBe('genesis');
    expect(dec(g.bytes)).toBe(dec(expected));
    expect(sha256Hex(g.bytes)).toBe(sha256Hex(compactJson(enc(JSON.stringify((result('genesis.json') as { genesis: unknown }).genesis, null, 4)))));
  });

  it('turns a JSON-RPC error envelope (HTTP 500) into a typed rpc error', async () => {
    const e = await rejection(new RpcClient(node.url).block(5));
    expect(e.kind).toBe('rpc');
    expect(e.rpc).toMatchObject({ code: -32603, message: 'Internal error' });
    expect(e.rpc?.data).toContain('is not available');
    expect(isHeightUnavailable(e)).toBe(true);
  });

  it('batches calls in one POST, with per-call outcomes', async () => {
    const c = new RpcClient(node.url);
    const before = node.calls.length;
    const out = await c.batch([
      { method: 'block', params: { height: 10 } },
      { method: 'block', params: { height: 7 } },
      { method: 'commit', params: { height: 10 } },
    ]);
    expect(c.batchSupport).toBe(true);
    expect(node.calls.slice(before).map((x) => x.via)).toEqual(['BATCH', 'BATCH', 'BATCH']);
    expect((out[0] as { value: unknown }).value).toEqual(result('block_at_height_10.json'));
    expect(out[1]).toBeInstanceOf(RpcClientError);
    expect((out[1] as RpcClientError).kind).toBe('rpc');
    expect(JSON.parse(dec((out[2] as { raw: Uint8Array }).raw))).toEqual(result('commit_at_height_10.json'));
  });

  it('times out a slow node within its deadline', async () => {
    const slow = await startFakeNode(vectorsHandler(), { delayMs: 2000 });
    try {
      const t = performance.now();
      const e = await rejection(new RpcClient(slow.url, { timeoutMs: 150 }).status());
      expect(e.kind).toBe('timeout');
      expect(performance.now() - t).toBeLessThan(1000);
    } finally {
      await slow.close();
    }
  });

  it('stops reading an oversized body (streamed or declared)', async () => {
    proxy.rules = [{ kind: 'oversized', bytes: 8 * 1024 * 1024, match: { methods: ['block'] } }];
    const c = new RpcClient(proxy.url, { maxResponseBytes: 256 * 1024 });
    expect((await rejection(c.block(10))).kind).toBe('oversized');
    proxy.rules = [{ kind: 'oversized', bytes: 8 * 1024 * 1024, declareLength: true }];
    expect((await rejection(c.status())).kind).toBe('oversized');
    proxy.rules = [];
    expect((await c.status()).network).toBe('dockerchain'); // the client is still fine
  });

  it('reports malformed JSON and JSON-RPC errors injected by a proxy', async () => {
    const c = new RpcClient(proxy.url);
    proxy.rules = [{ kind: 'malformed' }];
    expect((await rejection(c.block(10))).kind).toBe('malformed');
    proxy.rules = [{ kind: 'rpc-error', match: { methods: ['commit'] }, code: -32000, message: 'Server error', data: 'nope' }];
    const e = await rejection(c.commit(10));
    expect(e).toMatchObject({ kind: 'rpc', rpc: { code: -32000, message: 'Server error', data: 'nope' } });
    const out = await c.batch([{ method: 'block', params: { height: 10 } }, { method: 'commit', params: { height: 10 } }]);
    expect(out[0]).not.toBeInstanceOf(RpcClientError);
    expect((out[1] as RpcClientError).kind).toBe('rpc');
    proxy.rules = [];
  });

  it('names network failures and cancellation, and never shows credentials', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const c = new RpcClient(`http://alice:s3cret@127.0.0.1:${port}/?apikey=topsecret`);
    expect(c.label).toBe(`http://127.0.0.1:${port}`);
    const e = await rejection(c.status());
    expect(e.kind).toBe('network');
    expect(e.message).not.toMatch(/s3cret|topsecret|alice/);
    const ac = new AbortController();
    const slow = await startFakeNode(vectorsHandler(), { delayMs: 2000 });
    try {
      const p = new RpcClient(slow.url).status(ac.signal);
      setTimeout(() => ac.abort(), 50);
      expect((await rejection(p)).kind).toBe('aborted');
    } finally {
      await slow.close();
    }
  });
});

describe('RpcClient batches and pages', () => {
  const chain = buildFakeChain({ heights: 3, validators: 150 });
  let node: FakeNode;
  beforeAll(async () => {
    node = await startFakeNode(chainHandler(chain), { maxBatch: 3 });
  });
  afterAll(() => node?.close());

  it('learns a smaller batch limit from the node and splits', async () => {
    const c = new RpcClient(node.url, { maxBatch: 10 });
    const calls = [1, 2, 3].flatMap((h) => [{ method: 'block', params: { height: h } }, { method: 'commit', params: { height: h } }]);
    const out = await c.batch(calls);
    expect(c.maxBatch).toBe(3);
    expect(out.every((o) => !(o instanceof RpcClientError))).toBe(true);
    expect((out[2] as { value: unknown }).value).toEqual(chain.block(2));
  });

  it('falls back to single GETs when the node refuses batches', async () => {
    const nb = await startFakeNode(chainHandler(chain), { batch: false });
    try {
      const c = new RpcClient(nb.url);
      const out = await c.batch([{ method: 'block', params: { height: 1 } }, { method: 'block', params: { height: 2 } }]);
      expect(c.batchSupport).toBe(false);
      expect((out[1] as { value: unknown }).value).toEqual(chain.block(2));
      expect(nb.calls.slice(-2).map((x) => x.via)).toEqual(['GET', 'GET']);
    } finally {
      await nb.close();
    }
  });

  it('merges every page of /validators into one result', async () => {
    const v = await new RpcClient(node.url).validators(2);
    const value = v.value as { validators: unknown[]; count: string; total: string };
    expect(value.validators).toHaveLength(150);
    expect(value.count).toBe('150');
    expect(JSON.parse(dec(v.raw))).toEqual({ ...chain.validators(2, 1, 150), count: '150' });
    expect(node.calls.filter((x) => x.method === 'validators').map((x) => x.params.page)).toEqual(['1', '2']);
  });

  it('fetches a genesis in chunks when /genesis refuses, with the same hash', async () => {
    const whole = await new RpcClient(node.url).genesis();
    const big = await startByzantineProxy(node.url, [{ kind: 'rpc-error', match: { methods: ['genesis'] }, data: 'genesis response is large, please use the genesis_chunked API instead' }]);
    try {
      const chunked = await new RpcClient(big.url).genesis();
      expect(whole.via).toBe('genesis');
      expect(chunked.via).toBe('genesis_chunked');
      expect(sha256Hex(chunked.bytes)).toBe(sha256Hex(whole.bytes));
      expect(dec(whole.bytes)).toBe(JSON.stringify(chain.genesis));
    } finally {
      await big.close();
    }
  });
});

describe('RpcClient on raw answers (the compact batch path, the HTTP exchange)', () => {
  /** A server answering every request with what `reply` returns for its body; remembers the requests. */
  async function rawServer(reply: (body: string, req: IncomingMessage, res: ServerResponse) => string | undefined): Promise<{ url: string; requests: { headers: IncomingMessage['headers']; body: string }[]; server: Server; close(): Promise<void> }> {
    const requests: { headers: IncomingMessage['headers']; body: string }[] = [];
    const server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ headers: req.headers, body });
        const out = reply(body, req, res);
        if (out !== undefined) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(out);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, requests, server, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
  }
  /** Answers a batch with the given results, in the compact layout CometBFT writes. */
  const compact = (results: string[]) => (body: string): string => {
    const ids = (JSON.parse(body) as { id: number }[]).map((c) => c.id);
    return `[${ids.map((id, i) => `{"jsonrpc":"2.0","id":${id},"result":${results[i]}}`).join(',')}]`;
  };
  const calls = [{ method: 'block', params: { height: 1 } }, { method: 'commit', params: { height: 1 } }];

  it('reads each result from its own bytes, parsed when first read', async () => {
    const results = ['{"a":[1,2,{"b":"c"}]}', '{"d":"\\u00e9 é"}'];
    const s = await rawServer(compact(results));
    try {
      const out = (await new RpcClient(s.url).batch(calls)) as { value: unknown; raw: Uint8Array }[];
      expect(out.map((o) => dec(o.raw))).toEqual(results);
      expect(out.map((o) => o.value)).toEqual(results.map((r) => JSON.parse(r) as unknown));
      expect(out[1]!.value).toBe(out[1]!.value); // parsed once
    } finally {
      await s.close();
    }
  });

  it('scans a result instead of parsing it when its call has a scan (its value is parsed only if read)', async () => {
    const results = ['{"a":[1,2]}', '{"b":"c"}', '{"d":4}'];
    const s = await rawServer(compact(results));
    const seen: string[] = [];
    const scan = (raw: Uint8Array): unknown => (seen.push(dec(raw)), isStrictJson(raw) ? { scanned: dec(raw) } : undefined);
    try {
      const out = await new RpcClient(s.url).batch([{ ...calls[0]!, scan }, calls[1]!, { method: 'validators', scan: () => undefined }]);
      expect((out[1] as RpcResult).value).toEqual({ b: 'c' }); // the scan of result 0 comes first
      expect(seen).toEqual([results[0]]);
      expect((out[0] as RpcResult).scanned).toEqual({ scanned: results[0] });
      expect((out[0] as RpcResult).value).toEqual({ a: [1, 2] });
      expect((out[2] as RpcResult).scanned).toBeUndefined(); // the scan gave up: parsed
      expect((out[2] as RpcResult).value).toEqual({ d: 4 });
    } finally {
      await s.close();
    }
  });

  it('falls back to parsing the whole answer when an envelope look-alike misleads the byte search (a scan refuses it too)', async () => {
    const tricky = '{"a":[{"b":{}},{"jsonrpc":"2.0","id":ID,"result":{"z":0}}]}';
    const s = await rawServer((body) => {
      const ids = (JSON.parse(body) as { id: number }[]).map((c) => c.id);
      return compact([tricky.replace('ID', String(ids[1])), '{"y":2}'])(body);
    });
    try {
      const scan = (raw: Uint8Array): unknown => (isStrictJson(raw) ? 'scanned' : undefined);
      const out = (await new RpcClient(s.url).batch([{ ...calls[0]!, scan }, calls[1]!])) as RpcResult[];
      expect(out[0]!.scanned).toBeUndefined();
      expect((out[0]!.value as { a: unknown[] }).a).toHaveLength(2);
      expect(out[1]!.value).toEqual({ y: 2 });
    } finally {
      await s.close();
    }
  });

  it('falls back to parsing the whole answer when an envelope look-alike misleads the byte search', async () => {
    const tricky = '{"a":[{"b":{}},{"jsonrpc":"2.0","id":ID,"result":{"z":0}}]}';
    const s = await rawServer((body) => {
      const ids = (JSON.parse(body) as { id: number }[]).map((c) => c.id);
      return compact([tricky.replace('ID', String(ids[1])), '{"y":2}'])(body);
    });
    try {
      const out = (await new RpcClient(s.url).batch(calls)) as { value: unknown; raw: Uint8Array }[];
      const first = JSON.parse(dec(out[0]!.raw)) as { a: unknown[] };
      expect(first.a).toHaveLength(2);
      expect(out[0]!.value).toEqual(first);
      expect(out[1]!.value).toEqual({ y: 2 });
      expect(dec(out[1]!.raw)).toBe('{"y":2}');
    } finally {
      await s.close();
    }
  });

  it('reports a compact-looking answer that is not JSON as malformed, when its results are read', async () => {
    const s = await rawServer(compact(['{"a":1}', '{"b":}']));
    try {
      const out = (await new RpcClient(s.url).batch(calls)) as { value: unknown }[];
      expect(() => out[1]!.value).toThrow(RpcClientError);
      try {
        void out[1]!.value;
      } catch (e) {
        expect((e as RpcClientError).kind).toBe('malformed');
      }
    } finally {
      await s.close();
    }
  });

  it('sends credentials in the URL as HTTP basic auth, never in errors', async () => {
    const s = await rawServer(() => '{"jsonrpc":"2.0","id":-1,"result":{"ok":true}}');
    try {
      const u = new URL(s.url);
      u.username = 'alice';
      u.password = 's3cret';
      const r = await new RpcClient(u.toString()).call('health');
      expect(r.value).toEqual({ ok: true });
      expect(s.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    } finally {
      await s.close();
    }
  });

  it('refuses redirects, and sends a request again once when its kept-alive socket was closed by the server', async () => {
    let n = 0;
    const s = await rawServer((_body, _req, res) => {
      n++;
      if (n === 2) {
        // the second request finds its reused socket gone
        res.socket?.destroy();
        return undefined;
      }
      if (n === 4) {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
        return undefined;
      }
      return '{"jsonrpc":"2.0","id":-1,"result":{"n":1}}';
    });
    try {
      const c = new RpcClient(s.url);
      expect((await c.call('a')).value).toEqual({ n: 1 });
      expect((await c.call('b')).value).toEqual({ n: 1 }); // answered on the second try
      expect(n).toBe(3);
      const e = await rejection(c.call('c'));
      expect(e.kind).toBe('network');
      expect(e.detail).toContain('redirect');
    } finally {
      await s.close();
    }
  });
});
