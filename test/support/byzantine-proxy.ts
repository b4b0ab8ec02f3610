// A loopback HTTP proxy in front of a CometBFT node (real or fake) that lies on purpose:
// it forwards each request unchanged and rewrites the answer by rules. It understands URI
// GETs, single POSTs and batch POSTs (rules apply per call inside a batch).
//
//   const proxy = await startByzantineProxy(node.url, [{ kind: 'tx-byte', height: 7 }]);
//   ... sync from proxy.url ...;  proxy.fired('tx-byte') > 0;  await proxy.close();
//
// Rewrites of a result: header-field, flip-signature, tx-byte, validator-power,
// drop-signature, replace (serve another upstream's data: a second chain or a re-signed fork),
// rpc-error, custom. Whole answers: hang (never answer), malformed (cut-off JSON), oversized (a body
// of N bytes, streamed).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

/** Which calls a rule applies to. A height matches a call for that height, or a /blockchain range holding it. */
export interface Match {
  methods?: string[];
  height?: number;
  /** Every height from here on. */
  fromHeight?: number;
}

export type ByzantineRule =
  /** Change a header field (hex: first digit changed; decimal: +1; or `value`) in /block, /commit and /blockchain metas. */
  | { kind: 'header-field'; height: number; field: string; value?: string; in?: ('block' | 'commit' | 'blockchain')[] }
  /** Flip a bit of signature #index in /commit (and in block h+1's last_commit with alsoBlock). */
  | { kind: 'flip-signature'; height: number; index?: number; alsoBlock?: boolean }
  /** Flip a bit of byte #byte of tx #tx in /block. */
  | { kind: 'tx-byte'; height: number; tx?: number; byte?: number }
  /** Change validator #index's voting_power in /validators (default +1). */
  | { kind: 'validator-power'; height: number; index?: number; power?: string }
  /** Turn signature #index of /commit into an absent one (and in block h+1's last_commit with alsoBlock). */
  | { kind: 'drop-signature'; height: number; index?: number; alsoBlock?: boolean }
  /** Answer block, commit, validators, block_results and /blockchain metas for matching heights from another upstream. */
  | { kind: 'replace'; upstream: string; height: number; andAbove?: boolean }
  | { kind: 'hang'; match?: Match }
  | { kind: 'malformed'; match?: Match }
  | { kind: 'oversized'; bytes: number; declareLength?: boolean; match?: Match }
  | { kind: 'rpc-error'; match?: Match; code?: number; message?: string; data?: string }
  /** Any rewrite of a result (e.g. a fork re-signed with known keys). Returns the new result. */
  | { kind: 'custom'; rewrite: (method: string, params: Record<string, string>, result: unknown) => unknown };

export interface ByzantineProxy {
  url: string;
  rules: ByzantineRule[];
  /** How many times rules of this kind changed an answer. */
  fired(kind: ByzantineRule['kind']): number;
  close(): Promise<void>;
}

interface Call {
  id: unknown;
  method: string;
  params: Record<string, string>;
}

type J = Record<string, unknown>;

const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);

function heightsOf(c: Call): [number, number] | undefined {
  if (c.method === 'blockchain') return [Number(c.params.minHeight ?? 0), Number(c.params.maxHeight ?? 0)];
  if (c.params.height !== undefined) return [Number(c.params.height), Number(c.params.height)];
  return undefined;
}

function matches(m: Match | undefined, c: Call): boolean {
  if (!m) return true;
  if (m.methods && !m.methods.includes(c.method)) return false;
  const hs = heightsOf(c);
  if (m.height !== undefined && !(hs && hs[0] <= m.height && m.height <= hs[1])) return false;
  if (m.fromHeight !== undefined && !(hs && hs[1] >= m.fromHeight)) return false;
  return true;
}

function mutateString(v: string): string {
  if (/^[0-9]+$/.test(v)) return String(BigInt(v) + 1n);
  if (/^[0-9A-Fa-f]+$/.test(v) && v.length > 0) return (v[0] === '0' ? '1' : '0') + v.slice(1);
  if (/^\d{4}-\d{2}-\d{2}T/.test(v)) return v.replace(/T(\d{2})/, (_, hh: string) => `T${String((Number(hh) + 1) % 24).padStart(2, '0')}`);
  return `${v}x`;
}

function flipBase64(b64: string, byte: number): string {
  const b = Buffer.from(b64, 'base64');
  if (b.length === 0) return b64;
  b[byte % b.length]! ^= 0x01;
  return b.toString('base64');
}

function absent(): J {
  return { block_id_flag: 1, validator_address: '', timestamp: '0001-01-01T00:00:00Z', signature: null };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function postOne(upstream: string, method: string, params: Record<string, string>): Promise<unknown> {
  const res = await fetch(`${upstream}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const env = (await res.json()) as J;
  return env.result;
}

export async function startByzantineProxy(upstream: string, rules: ByzantineRule[] = []): Promise<ByzantineProxy> {
  const counts = new Map<string, number>();
  const hit = (k: string): void => void counts.set(k, (counts.get(k) ?? 0) + 1);
  const sockets = new Set<Socket>();
  const proxy: ByzantineProxy = {
    url: '',
    rules,
    fired: (k) => counts.get(k) ?? 0,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };

  /** Rewrite one result in place (or return a replacement). */
  async function rewrite(c: Call, result: unknown): Promise<unknown> {
    let r = result;
    for (const rule of proxy.rules) {
      const h = Number(c.params.height);
      switch (rule.kind) {
        case 'header-field': {
          const where = rule.in ?? ['block', 'commit', 'blockchain'];
          const change = (hd: unknown): void => {
            if (!isObj(hd) || Number(hd.height) !== rule.height || !(rule.field in hd)) return;
            hd[rule.field] = rule.value ?? mutateString(String(hd[rule.field]));
            hit(rule.kind);
          };
          if (c.method === 'block' && where.includes('block') && isObj(r) && isObj(r.block)) change(r.block.header);
          if (c.method === 'commit' && where.includes('commit') && isObj(r) && isObj(r.signed_header)) change(r.signed_header.header);
          if (c.method === 'blockchain' && where.includes('blockchain') && isObj(r) && Array.isArray(r.block_metas)) {
            for (const m of r.block_metas) if (isObj(m)) change(m.header);
          }
          break;
        }
        case 'flip-signature':
        case 'drop-signature': {
          const edit = (sigs: unknown): void => {
            if (!Array.isArray(sigs)) return;
            // the first signature at or after `index` that is not already absent
            let i = rule.index ?? 0;
            while (i < sigs.length && isObj(sigs[i]) && (sigs[i] as J).block_id_flag === 1) i++;
            const s = sigs[i];
            if (!isObj(s)) return;
            if (rule.kind === 'flip-signature') s.signature = flipBase64(String(s.signature), 7);
            else sigs[i] = absent();
            hit(rule.kind);
          };
          if (c.method === 'commit' && h === rule.height && isObj(r) && isObj(r.signed_header) && isObj(r.signed_header.commit)) edit(r.signed_header.commit.signatures);
          if (rule.alsoBlock && c.method === 'block' && h === rule.height + 1 && isObj(r) && isObj(r.block) && isObj(r.block.last_commit)) edit(r.block.last_commit.signatures);
          break;
        }
        case 'tx-byte':
          if (c.method === 'block' && h === rule.height && isObj(r) && isObj(r.block) && isObj(r.block.data) && Array.isArray(r.block.data.txs)) {
            const txs = r.block.data.txs as string[];
            const i = rule.tx ?? 0;
            if (txs[i] !== undefined) {
              txs[i] = flipBase64(txs[i]!, rule.byte ?? 0);
              hit(rule.kind);
            }
          }
          break;
        case 'validator-power':
          if (c.method === 'validators' && h === rule.height && isObj(r) && Array.isArray(r.validators)) {
            const v = r.validators[rule.index ?? 0];
            if (isObj(v)) {
              v.voting_power = rule.power ?? String(BigInt(String(v.voting_power)) + 1n);
              hit(rule.kind);
            }
          }
          break;
        case 'replace': {
          const hit1 = (x: number): boolean => (rule.andAbove ? x >= rule.height : x === rule.height);
          if (['block', 'commit', 'validators', 'block_results'].includes(c.method) && hit1(h)) {
            r = await postOne(rule.upstream, c.method, c.params);
            hit(rule.kind);
          } else if (c.method === 'blockchain' && isObj(r) && Array.isArray(r.block_metas)) {
            const metas = r.block_metas as J[];
            const other = (await postOne(rule.upstream, 'blockchain', c.params)) as J | undefined;
            const alt = new Map(((other?.block_metas as J[] | undefined) ?? []).map((m) => [Number((m.header as J).height), m]));
            r.block_metas = metas.map((m) => {
              const mh = Number((m.header as J).height);
              if (!hit1(mh) || !alt.has(mh)) return m;
              hit(rule.kind);
              return alt.get(mh)!;
            });
          }
          break;
        }
        case 'custom': {
          const before = JSON.stringify(r);
          r = rule.rewrite(c.method, c.params, r);
          if (JSON.stringify(r) !== before) hit(rule.kind);
          break;
        }
        default:
          break;
      }
    }
    return r;
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const u = new URL(req.url ?? '/', 'http://x');
    let calls: Call[] = [];
    let batch = false;
    if (req.method === 'GET') {
      const params: Record<string, string> = {};
      u.searchParams.forEach((v, k) => (params[k] = v));
      calls = [{ id: -1, method: u.pathname.slice(1), params }];
    } else {
      try {
        const parsed = JSON.parse(body.toString('utf8')) as unknown;
        batch = Array.isArray(parsed);
        calls = (batch ? (parsed as J[]) : [parsed as J]).map((x) => ({ id: x.id, method: String(x.method), params: Object.fromEntries(Object.entries((x.params as J) ?? {}).map(([k, v]) => [k, String(v)])) }));
      } catch {
        calls = [];
      }
    }

    // Whole-answer rules first.
    for (const rule of proxy.rules) {
      if (!calls.some((c) => (rule.kind === 'hang' || rule.kind === 'malformed' || rule.kind === 'oversized') && matches(rule.match, c))) continue;
      if (rule.kind === 'hang') {
        hit(rule.kind);
        return; // the socket stays open until the client gives up or the proxy closes
      }
      if (rule.kind === 'malformed') {
        hit(rule.kind);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"jsonrpc":"2.0","id":1,"result":{"block_id":{"hash":"AB');
        return;
      }
      if (rule.kind === 'oversized') {
        hit(rule.kind);
        res.writeHead(200, { 'content-type': 'application/json', ...(rule.declareLength ? { 'content-length': String(rule.bytes) } : {}) });
        const head = '{"jsonrpc":"2.0","id":-1,"result":{"pad":"';
        res.write(head);
        let left = rule.bytes - head.length;
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        while (left > 0 && !res.destroyed) {
          const n = Math.min(left, chunk.length);
          if (!res.write(chunk.subarray(0, n))) {
            await new Promise<void>((resolve) => {
              const done = (): void => {
                res.off('drain', done);
                res.off('close', done);
                resolve();
              };
              res.on('drain', done);
              res.on('close', done);
            });
          }
          left -= n;
        }
        res.end();
        return;
      }
    }

    const up = await fetch(new URL(u.pathname + u.search, upstream), {
      method: req.method,
      headers: req.method === 'POST' ? { 'content-type': 'application/json' } : {},
      body: req.method === 'POST' ? body : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await up.text();
    let env: unknown;
    try {
      env = JSON.parse(text);
    } catch {
      res.writeHead(up.status, { 'content-type': 'application/json' });
      res.end(text);
      return;
    }
    const envs: J[] = Array.isArray(env) ? (env as J[]) : [env as J];
    for (let i = 0; i < envs.length; i++) {
      const e = envs[i]!;
      const c = batch ? calls.find((x) => x.id === e.id) : calls[0];
      if (!c || !isObj(e)) continue;
      const err = proxy.rules.find((r): r is Extract<ByzantineRule, { kind: 'rpc-error' }> => r.kind === 'rpc-error' && matches(r.match, c));
      if (err) {
        hit('rpc-error');
        envs[i] = { jsonrpc: '2.0', id: e.id, error: { code: err.code ?? -32603, message: err.message ?? 'Internal error', data: err.data ?? 'byzantine proxy says no' } };
        continue;
      }
      if ('result' in e) e.result = await rewrite(c, e.result);
    }
    res.writeHead(up.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(Array.isArray(env) ? envs : envs[0]));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
