// A small CometBFT 0.38 JSON-RPC client (rpc/core/routes.go) for the devnet, tests and the
// workload generator. JSON-RPC 2.0 over HTTP POST; int64s arrive as decimal strings,
// []byte params travel as base64 and bytes.HexBytes params as hex (libs/json, libs/bytes).
// Every call has a timeout; every wait is bounded.
import { createHash } from 'node:crypto';

export class RpcError extends Error {
  constructor(
    message: string,
    readonly code?: number,
    readonly data?: string,
  ) {
    super(message);
  }
}

export interface RpcOptions {
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** The client refuses non-loopback hosts unless this is set. */
  allowRemote?: boolean;
}

export interface NodeStatus {
  node_info: { id: string; network: string; version: string; moniker: string; listen_addr: string };
  sync_info: {
    latest_block_hash: string;
    latest_app_hash: string;
    latest_block_height: string;
    latest_block_time: string;
    earliest_block_height: string;
    catching_up: boolean;
  };
  validator_info: { address: string; pub_key: { type: string; value: string }; voting_power: string };
}

export interface BroadcastResult {
  code: number;
  data: string;
  log: string;
  codespace: string;
  hash: string;
}

export interface TxResponse {
  hash: string;
  height: string;
  index: number;
  tx_result: { code: number; data: string | null; log: string; codespace: string; gas_wanted: string; gas_used: string; events: unknown[] };
  tx: string;
}

export interface AbciQueryResult {
  code: number;
  log: string;
  value: Uint8Array;
  height: bigint;
  codespace: string;
}

/** CometBFT's tx hash: SHA-256 of the tx bytes, upper-case hex (types/tx.go Tx.Hash). */
export function txHash(tx: Uint8Array): string {
  return createHash('sha256').update(tx).digest('hex').toUpperCase();
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class CometRpc {
  readonly url: string;
  private readonly timeoutMs: number;
  private nextId = 1;

  constructor(url: string, opts: RpcOptions = {}) {
    const u = new URL(url);
    if (!opts.allowRemote && !LOOPBACK.has(u.hostname)) {
      throw new Error(`refusing non-loopback RPC endpoint ${url} (pass allowRemote to override)`);
    }
    this.url = u.toString().replace(/\/$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async call<T>(method: string, params: Record<string, unknown> = {}, timeoutMs = this.timeoutMs): Promise<T> {
    const id = this.nextId++;
    let res: globalThis.Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const why = (e as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e as Error).message;
      throw new RpcError(`${method} → ${this.url}: ${why}`);
    }
    const body = (await res.json().catch(() => undefined)) as
      | { result?: T; error?: { code: number; message: string; data?: string } }
      | undefined;
    if (!body) throw new RpcError(`${method} → ${this.url}: HTTP ${res.status} with a non-JSON body`);
    if (body.error) {
      throw new RpcError(`${method}: ${body.error.message}${body.error.data ? `: ${body.error.data}` : ''}`, body.error.code, body.error.data);
    }
    return body.result as T;
  }

  status(): Promise<NodeStatus> {
    return this.call('status');
  }

  async height(): Promise<bigint> {
    return BigInt((await this.status()).sync_info.latest_block_height);
  }

  genesis<T = unknown>(): Promise<{ genesis: T }> {
    return this.call('genesis');
  }

  block<T = unknown>(height?: bigint): Promise<T> {
    return this.call('block', heightParam(height));
  }

  blockResults<T = unknown>(height?: bigint): Promise<T> {
    return this.call('block_results', heightParam(height));
  }

  commit<T = unknown>(height?: bigint): Promise<T> {
    return this.call('commit', heightParam(height));
  }

  validators<T = unknown>(height?: bigint, page = 1, perPage = 100): Promise<T> {
    return this.call('validators', { ...heightParam(height), page: String(page), per_page: String(perPage) });
  }

  async abciQuery(path: string, data: Uint8Array = new Uint8Array(0), height?: bigint): Promise<AbciQueryResult> {
    const r = await this.call<{ response: { code?: number; log?: string; value?: string | null; height?: string; codespace?: string } }>(
      'abci_query',
      { path, data: Buffer.from(data).toString('hex'), height: String(height ?? 0n), prove: false },
    );
    const q = r.response;
    return {
      code: q.code ?? 0,
      log: q.log ?? '',
      value: q.value ? new Uint8Array(Buffer.from(q.value, 'base64')) : new Uint8Array(0),
      height: BigInt(q.height ?? '0'),
      codespace: q.codespace ?? '',
    };
  }

  broadcastTxSync(tx: Uint8Array): Promise<BroadcastResult> {
    return this.call('broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') });
  }

  /** The indexed tx, or undefined while it is not (yet) in a block. */
  async tx(hashHex: string): Promise<TxResponse | undefined> {
    try {
      return await this.call<TxResponse>('tx', { hash: Buffer.from(hashHex, 'hex').toString('base64'), prove: false });
    } catch (e) {
      if (e instanceof RpcError && /not found/i.test(`${e.message}`)) return undefined;
      throw e;
    }
  }

  /** Polls `tx` until the tx is in a block, or throws after timeoutMs. */
  async waitForTx(hashHex: string, timeoutMs = 30_000, pollMs = 200): Promise<TxResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.tx(hashHex);
      if (r) return r;
      if (Date.now() + pollMs > deadline) throw new RpcError(`tx ${hashHex} not included within ${timeoutMs} ms`);
      await sleep(pollMs);
    }
  }

  /** Broadcasts, checks CheckTx accepted it, waits for inclusion. */
  async submitAndWait(tx: Uint8Array, timeoutMs = 30_000): Promise<TxResponse> {
    const b = await this.broadcastTxSync(tx);
    if (b.code !== 0) throw new RpcError(`CheckTx refused tx ${b.hash}: code ${b.code} (${b.codespace}) ${b.log}`, b.code);
    return this.waitForTx(b.hash, timeoutMs);
  }

  /** Polls status until latest_block_height ≥ h, or throws after timeoutMs. */
  async waitForHeight(h: bigint, timeoutMs = 30_000, pollMs = 200): Promise<bigint> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const height = await this.height();
        if (height >= h) return height;
        last = `at height ${height}`;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() + pollMs > deadline) throw new RpcError(`${this.url} did not reach height ${h} within ${timeoutMs} ms (${String(last)})`);
      await sleep(pollMs);
    }
  }
}

function heightParam(height?: bigint): Record<string, string> {
  return height === undefined ? {} : { height: String(height) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
