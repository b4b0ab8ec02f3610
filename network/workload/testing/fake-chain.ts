// An in-process stand-in for one CometBFT node's JSON-RPC, backed by the real ledger state
// machine, for unit tests of the ledger client and the workload: status, genesis, abci_query,
// broadcast_tx_sync, block and block_results, in the shapes CometBFT 0.38 returns them.
// Like CometBFT's mempool, CheckTx runs against committed state and a tx already in the
// mempool is refused with "tx already exists in cache"; a block is cut every `blockMs` from the
// mempool in arrival order (optionally shuffled, to test nonce ordering), with block time
// advancing one second per block.
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { LedgerMachine, type TxResult } from '../../../shared/ledger/machine';

export interface FakeChainOptions {
  chainId: string;
  appState: unknown;
  /** Unix seconds of block 1 (default 2031-01-01). */
  time0?: number;
  blockMs?: number;
  /** Reverse each block's txs before finalizing (what an out-of-order mempool would propose). */
  reverseBlocks?: boolean;
  /** A PrepareProposal step applied to each block's txs (after any reversal). */
  prepare?: (txs: Uint8Array[]) => Uint8Array[];
}

interface StoredBlock {
  txs: Uint8Array[];
  results: TxResult[];
  time: number;
  appHash: Uint8Array;
}

type Opts = FakeChainOptions & { time0: number; blockMs: number; reverseBlocks: boolean };

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const hexU = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

export class FakeChain {
  readonly url: string;
  private readonly machine: LedgerMachine;
  private readonly blocks: StoredBlock[] = [];
  private mempool: Uint8Array[] = [];
  private readonly inMempool = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private readonly prepare: FakeChainOptions['prepare'];

  private constructor(private readonly server: Server, url: string, private readonly o: Opts) {
    this.url = url;
    this.prepare = o.prepare;
    const g = LedgerMachine.fromGenesis(o.chainId, JSON.parse(JSON.stringify(o.appState)), 1n, [
      { pubKeyType: 'ed25519', pubKey: new Uint8Array(32).fill(7), power: 10n },
    ]);
    this.machine = g.machine;
    this.timer = setInterval(() => this.cut(), o.blockMs);
  }

  static async start(o: FakeChainOptions): Promise<FakeChain> {
    const ref: { chain?: FakeChain } = {};
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const { id, method, params } = JSON.parse(Buffer.concat(parts).toString('utf8')) as { id: number; method: string; params: Record<string, string> };
        let body: unknown;
        try {
          body = { jsonrpc: '2.0', id, result: ref.chain!.handle(method, params ?? {}) };
        } catch (e) {
          body = { jsonrpc: '2.0', id, error: { code: -32603, message: 'Internal error', data: (e as Error).message } };
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address() as { port: number };
    const chain = new FakeChain(server, `http://127.0.0.1:${addr.port}`, {
      time0: o.time0 ?? Date.UTC(2031, 0, 1) / 1000, blockMs: o.blockMs ?? 40, reverseBlocks: o.reverseBlocks ?? false, ...o,
    } as Opts);
    ref.chain = chain;
    return chain;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  get height(): number {
    return this.blocks.length;
  }

  private cut(): void {
    let txs = this.mempool;
    this.mempool = [];
    this.inMempool.clear();
    if (this.o.reverseBlocks) txs = txs.slice().reverse();
    if (this.prepare) txs = this.prepare(txs);
    const h = this.blocks.length + 1;
    const time = this.o.time0 + h;
    const out = this.machine.finalizeBlock({ height: BigInt(h), time: { seconds: BigInt(time), nanos: 0 }, txs, proposerAddress: new Uint8Array(20) });
    this.machine.commit();
    this.blocks.push({ txs, results: out.txResults, time, appHash: out.appHash });
  }

  private handle(method: string, p: Record<string, string>): unknown {
    switch (method) {
      case 'status': {
        const last = this.blocks[this.blocks.length - 1];
        return {
          node_info: { id: 'fake', network: this.o.chainId, version: '0.38.0-fake', moniker: 'fake', listen_addr: '' },
          sync_info: {
            latest_block_hash: '', latest_app_hash: last ? hexU(last.appHash) : '', latest_block_height: String(this.height),
            latest_block_time: new Date((last?.time ?? this.o.time0) * 1000).toISOString().replace('Z', '000000Z'),
            earliest_block_height: '1', catching_up: false,
          },
          validator_info: { address: '', pub_key: { type: 'tendermint/PubKeyEd25519', value: '' }, voting_power: '0' },
        };
      }
      case 'genesis':
        return { genesis: { chain_id: this.o.chainId, app_state: this.o.appState } };
      case 'abci_query': {
        const r = this.machine.query(p.path!, Buffer.from(p.data ?? '', 'hex'));
        return { response: { code: r.code, log: r.log, value: r.value.length ? b64(r.value) : null, height: String(r.height) } };
      }
      case 'broadcast_tx_sync': {
        const tx = new Uint8Array(Buffer.from(p.tx!, 'base64'));
        const hash = createHash('sha256').update(tx).digest('hex').toUpperCase();
        if (this.inMempool.has(hash)) throw new Error('tx already exists in cache');
        const r = this.machine.checkTx(tx);
        if (r.code === 0) {
          this.mempool.push(tx);
          this.inMempool.add(hash);
        }
        return { code: r.code, data: b64(r.data), log: r.log, codespace: r.codespace, hash };
      }
      case 'block': {
        const h = Number(p.height ?? this.height);
        const b = this.blocks[h - 1];
        if (!b) throw new Error(`height ${h} must be less than or equal to the current blockchain height ${this.height}`);
        return { block_id: { hash: '' }, block: { header: { height: String(h) }, data: { txs: b.txs.map(b64) } } };
      }
      case 'block_results': {
        const h = Number(p.height ?? this.height);
        const b = this.blocks[h - 1];
        if (!b) throw new Error(`height ${h} must be less than or equal to the current blockchain height ${this.height}`);
        return {
          height: String(h),
          txs_results: b.results.map((r) => ({
            code: r.code, codespace: r.codespace, log: r.log, data: r.data.length ? b64(r.data) : null,
            events: r.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })) })),
          })),
        };
      }
      default:
        throw new Error(`method ${method} not supported by the fake chain`);
    }
  }
}
