// A loopback HTTP server that answers CometBFT 0.38 JSON-RPC like a node does
// (rpc/jsonrpc/server): URI GETs (/method?k=v), POSTed single requests and batches (an array,
// at most maxBatch, a batch of one answered with a bare object), errors as
// {code: -32603, message: "Internal error", data}. Results come from a handler: a FakeChain
// or the kvstore vectors.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readVector } from '../vectors';
import type { FakeChain } from './fake-chain';

export type RpcHandler = (method: string, params: Record<string, string>) => unknown;

export interface FakeNodeOptions {
  /** Max requests per batch (CometBFT default 10; 0 = unlimited). */
  maxBatch?: number;
  /** false: refuse JSON arrays like a server (or proxy) without batch support. */
  batch?: boolean;
  /** Indent responses (as the captured vectors are). */
  indent?: boolean;
  /** Delay every answer. */
  delayMs?: number;
}

export interface FakeNode {
  url: string;
  /** Every call answered: method and how it came (GET, POST, or inside a batch). */
  calls: { method: string; params: Record<string, string>; via: 'GET' | 'POST' | 'BATCH' }[];
  close(): Promise<void>;
}

type Envelope = { jsonrpc: '2.0'; id: unknown; result?: unknown; error?: { code: number; message: string; data: string } };

function answer(handler: RpcHandler, id: unknown, method: string, params: Record<string, string>): Envelope {
  try {
    return { jsonrpc: '2.0', id, result: handler(method, params) };
  } catch (e) {
    return { jsonrpc: '2.0', id, error: { code: -32603, message: 'Internal error', data: (e as Error).message } };
  }
}

function paramsOf(p: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (p && typeof p === 'object') for (const [k, v] of Object.entries(p)) out[k] = String(v);
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startFakeNode(handler: RpcHandler, o: FakeNodeOptions = {}): Promise<FakeNode> {
  const calls: FakeNode['calls'] = [];
  const maxBatch = o.maxBatch ?? 10;
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body, null, o.indent ? 2 : undefined);
    const go = (): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(text);
    };
    if (o.delayMs) setTimeout(go, o.delayMs);
    else go();
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET') {
        const method = u.pathname.slice(1);
        const params: Record<string, string> = {};
        u.searchParams.forEach((v, k) => (params[k] = v.replace(/^"(.*)"$/, '$1')));
        calls.push({ method, params, via: 'GET' });
        const env = answer(handler, -1, method, params);
        return send(res, env.error ? 500 : 200, env);
      }
      const text = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 500, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error. Invalid JSON', data: 'error unmarshaling request' } });
      }
      if (Array.isArray(body)) {
        if (o.batch === false) {
          return send(res, 500, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error. Invalid JSON', data: 'error unmarshaling request: json: cannot unmarshal array' } });
        }
        if (maxBatch > 0 && body.length > maxBatch) {
          return send(res, 200, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request', data: `batch request exceeds maximum (${maxBatch}) allowed number of requests` } });
        }
        const out = (body as { id: unknown; method: string; params?: unknown }[]).map((r) => {
          calls.push({ method: r.method, params: paramsOf(r.params), via: 'BATCH' });
          return answer(handler, r.id, r.method, paramsOf(r.params));
        });
        return send(res, 200, out.length === 1 ? out[0] : out);
      }
      const r = body as { id: unknown; method: string; params?: unknown };
      calls.push({ method: r.method, params: paramsOf(r.params), via: 'POST' });
      return send(res, 200, answer(handler, r.id, r.method, paramsOf(r.params)));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Answers from a FakeChain; `latest()` is the height the node says it has (default the chain's tip). */
export function chainHandler(chain: FakeChain, latest: () => number = () => chain.latest): RpcHandler {
  const height = (p: Record<string, string>): number => {
    const h = p.height === undefined || p.height === '' ? latest() : Number(p.height);
    if (h > latest()) throw new Error(`height ${h} must be less than or equal to the current blockchain height ${latest()}`);
    return h;
  };
  const genesisText = JSON.stringify(chain.genesis);
  return (method, p) => {
    switch (method) {
      case 'status': return chain.status(latest());
      case 'genesis': return { genesis: chain.genesis };
      case 'genesis_chunked': {
        const data = Buffer.from(genesisText).toString('base64');
        if (Number(p.chunk ?? 0) !== 0) throw new Error('there are 0 chunks');
        return { chunk: '0', total: '1', data };
      }
      case 'block': return chain.block(height(p));
      case 'commit': return chain.commit(height(p), latest());
      case 'validators': return chain.validators(height(p), Number(p.page ?? 1), Number(p.per_page ?? 30));
      case 'block_results': return chain.blockResults(height(p));
      case 'blockchain': return chain.blockchain(Number(p.minHeight ?? 0), Number(p.maxHeight ?? 0), latest());
      default: throw new Error(`method ${method} not found`);
    }
  };
}

/** Answers from ../shared/vectors/cometbft-v0.38-kvstore (a one-validator chain, heights 1 and 10 mostly). */
export function vectorsHandler(): RpcHandler {
  const v = (f: string): unknown => (readVector(`cometbft-v0.38-kvstore/${f}`) as { result: unknown }).result;
  const genesis = v('genesis.json') as { genesis: { validators: { address: string; pub_key: unknown; power: string }[] } };
  return (method, p) => {
    switch (method) {
      case 'status': return v('status.json');
      case 'genesis': return genesis;
      case 'block':
        if (p.height === '1' || p.height === '10') return v(`block_at_height_${p.height}.json`);
        throw new Error(`height ${p.height} is not available, lowest height is 1`);
      case 'commit':
        if (p.height === '10') return v('commit_at_height_10.json');
        throw new Error(`height ${p.height} is not available, lowest height is 1`);
      case 'block_results':
        if (p.height === '10') return v('block_results_at_height_10.json');
        throw new Error(`height ${p.height} is not available, lowest height is 1`);
      case 'blockchain': return v('blockchain_from_1_to_10.json');
      case 'validators': return {
        block_height: p.height ?? '10',
        validators: genesis.genesis.validators.map((x) => ({ address: x.address, pub_key: x.pub_key, voting_power: x.power, proposer_priority: '0' })),
        count: '1',
        total: '1',
      };
      default: throw new Error(`method ${method} not found`);
    }
  };
}
