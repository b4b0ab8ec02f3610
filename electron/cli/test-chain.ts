// Test support for the CLI tests: a real signed consent-ledger chain (test/replica-chain.ts)
// written into a replica store through the store API, or served by a loopback node
// (test/support/fake-node.ts) for `custos sync`; and running bin/custos.mjs as a child process.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildReplicaChain, type ReplicaChain } from '../../test/replica-chain';
import { startFakeNode, type FakeNode, type RpcHandler } from '../../test/support/fake-node';
import { openStore, writeProfile } from '../services/store';

export const BIN = fileURLToPath(new URL('../../bin/custos.mjs', import.meta.url));
const enc = (x: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(x));
const sha256 = async (b: Uint8Array): Promise<string> => (await import('node:crypto')).createHash('sha256').update(b).digest('hex');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `node bin/custos.mjs ...args`; resolves when it exits (killed after `timeoutMs`). */
export function runCli(args: readonly string[], o: { timeoutMs?: number; env?: NodeJS.ProcessEnv; onStderr?: (chunk: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CUSTOS_PROGRESS_INTERVAL_MS: '0', ...o.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      o.onStderr?.(d, child);
    });
    const t = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

let cached: ReplicaChain | undefined;
/** One small real chain per test file: signed commits, ledger transactions, a validator added by governance. */
export function testChain(): ReplicaChain {
  cached ??= buildReplicaChain({ heights: 12, absentAt: [5] });
  return cached;
}

/** Write heights 1..upTo of `chain` (all of it by default) into a new replica store in `dir`, with its profile. */
export async function writeReplica(dir: string, chain: ReplicaChain, upTo = chain.heights.length, endpoints: string[] = ['http://127.0.0.1:26657']): Promise<string> {
  const store = await openStore(dir, { segmentSize: 64 * 1024 });
  try {
    const genesis = enc(chain.genesis);
    const sha = await store.putGenesis(genesis);
    await writeProfile(dir, { chainId: chain.chainId, endpoints, genesisSha256: sha });
    for (const h of chain.heights.slice(0, upTo)) {
      await store.append([
        { kind: 'block', height: h.height, payload: enc(h.block) },
        { kind: 'commit', height: h.height, payload: enc(h.commit) },
        { kind: 'validators', height: h.height, payload: enc(h.validators) },
        { kind: 'block_results', height: h.height, payload: enc(h.block_results) },
      ]);
    }
    await store.flush();
    return sha;
  } finally {
    await store.close();
  }
}

export async function genesisSha(chain: ReplicaChain): Promise<string> {
  return sha256(enc(chain.genesis));
}

/** JSON-RPC answers for `chain` as a 0.38 node with `latest()` blocks would give them. */
export function replicaHandler(chain: ReplicaChain, latest: () => number = () => chain.heights.length): RpcHandler {
  const at = (p: Record<string, string>): ReplicaChain['heights'][number] => {
    const h = p.height === undefined || p.height === '' ? latest() : Number(p.height);
    if (!Number.isSafeInteger(h) || h < 1 || h > latest()) throw new Error(`height ${h} must be less than or equal to the current blockchain height ${latest()}`);
    return chain.heights[h - 1]!;
  };
  const blockId = (h: number): { hash: string } => (chain.heights[h - 1]!.block as { block_id: { hash: string } }).block_id;
  return (method, p) => {
    switch (method) {
      case 'status':
        return {
          node_info: { network: chain.chainId, moniker: 'cli-test', version: '0.38.26' },
          sync_info: { latest_block_hash: blockId(latest()).hash, latest_block_height: String(latest()), earliest_block_height: '1', catching_up: false },
          validator_info: {},
        };
      case 'genesis':
        return { genesis: chain.genesis };
      case 'genesis_chunked':
        if (Number(p.chunk ?? 0) !== 0) throw new Error('there are 0 chunks');
        return { chunk: '0', total: '1', data: Buffer.from(JSON.stringify(chain.genesis)).toString('base64') };
      case 'block':
        return at(p).block;
      case 'commit': {
        const r = at(p);
        return { ...r.commit, canonical: r.height < latest() };
      }
      case 'validators': {
        const v = at(p).validators as { block_height: string; validators: unknown[] };
        const page = Number(p.page ?? 1), per = Number(p.per_page ?? 30);
        const list = v.validators.slice((page - 1) * per, page * per);
        return { block_height: v.block_height, validators: list, count: String(list.length), total: String(v.validators.length) };
      }
      case 'block_results':
        return at(p).block_results;
      case 'blockchain': {
        const hi = Math.min(Number(p.maxHeight) || latest(), latest());
        const lo = Math.max(Number(p.minHeight) || 1, hi - 19, 1);
        const metas = [];
        for (let h = hi; h >= lo; h--) {
          const b = chain.heights[h - 1]!.block as { block_id: unknown; block: { header: unknown; data: { txs: unknown[] } } };
          metas.push({ block_id: b.block_id, block_size: '1000', header: b.block.header, num_txs: String(b.block.data.txs.length) });
        }
        return { last_height: String(latest()), block_metas: metas };
      }
      default:
        throw new Error(`method ${method} not found`);
    }
  };
}

export function serveChain(chain: ReplicaChain, latest?: () => number): Promise<FakeNode> {
  return startFakeNode(replicaHandler(chain, latest));
}
