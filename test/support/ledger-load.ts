// Real consent-ledger transactions for a devnet, for the replica tests and the benchmark.
//
//   const r = await playLedgerLoad({ rpc, devnetSeed, txs: 300, offchainDir });
//
// Uses the workload generator (network/workload runWorkload: a simulated day of enrolments,
// records, consents, accesses and governance) when it is there; otherwise a plain fallback
// built on shared/ledger/client buildTx and network/client/rpc.ts: pseudonymous patients
// registered by the care organisations' registering staff, one lane of consecutive nonces per
// signer, many signers in parallel.
import { buildTx, deriveSeed, keyFromSeed } from '../../shared/ledger/client/index';
import { buildDemoGenesis } from '../../shared/ledger/genesis';
import { DEFAULT_POLICY } from '../../shared/ledger/policy';
import { CometRpc, sleep } from '../../network/client/rpc';

type WorkloadModule = typeof import('../../network/workload'); // eslint-disable-line @typescript-eslint/consistent-type-imports

export interface LoadOptions {
  rpc: string[];
  chainId?: string;
  devnetSeed: string;
  /** Transactions to play, approximately. */
  txs: number;
  /** Where the workload writes its off-chain documents and ground truth. */
  offchainDir: string;
  /** Signer lanes in flight. */
  concurrency?: number;
  /** Force the fallback (or the workload: then failing to load it throws). */
  via?: 'workload' | 'fallback';
  log?: (line: string) => void;
}

export interface LoadResult {
  via: 'workload' | 'fallback';
  /** Transactions committed with code 0. */
  ok: number;
  /** Transactions that did not go as planned. */
  unexpected: number;
  /** Blocks holding the transactions (the fallback knows only each lane's last block: `first` is the earliest of those). */
  heights: { first: number; last: number };
  seconds: number;
}

export async function playLedgerLoad(o: LoadOptions): Promise<LoadResult> {
  const t0 = performance.now();
  if (o.via !== 'fallback') {
    let mod: WorkloadModule | undefined;
    try {
      mod = await import('../../network/workload');
    } catch (e) {
      if (o.via === 'workload') throw e;
      o.log?.(`workload generator unavailable (${(e as Error).message.split('\n')[0]}); registering patients instead`);
    }
    if (mod) {
      const { truth } = await mod.runWorkload({
        rpc: o.rpc, chainId: o.chainId, devnetSeed: o.devnetSeed, txs: o.txs, offchainDir: o.offchainDir,
        concurrency: o.concurrency, log: o.log,
      });
      return { via: 'workload', ok: truth.counts.ok, unexpected: truth.unexpected.length, heights: truth.heights, seconds: (performance.now() - t0) / 1000 };
    }
  }
  const r = await fallbackLoad(o);
  return { ...r, via: 'fallback', seconds: (performance.now() - t0) / 1000 };
}

/** Per devnet seed: the next nonce of each fallback signer and how many patients were enrolled. */
const lanes = new Map<string, { nonces: Map<string, number>; patients: number }>();

async function fallbackLoad(o: LoadOptions): Promise<Omit<LoadResult, 'via' | 'seconds'>> {
  const nodes = o.rpc.map((u) => new CometRpc(u, { timeoutMs: 10_000 }));
  const chainId = o.chainId ?? (await nodes[0]!.status()).node_info.network;
  const g = buildDemoGenesis(o.devnetSeed);
  const custodians = new Set(g.orgs.filter((x) => DEFAULT_POLICY.custodian_kinds.includes(x.kind)).map((x) => x.id));
  const signers = g.members.filter((m) => custodians.has(m.org) && m.roles.some((r) => DEFAULT_POLICY.register_roles.includes(r)));
  if (signers.length === 0) throw new Error('no demo member may register patients');
  const st = lanes.get(o.devnetSeed) ?? { nonces: new Map<string, number>(), patients: 0 };
  lanes.set(o.devnetSeed, st);
  const width = Math.min(signers.length, o.concurrency ?? signers.length);
  const perLane = Array.from({ length: width }, () => 0);
  for (let i = 0; i < o.txs; i++) perLane[i % width]!++;

  let ok = 0;
  let unexpected = 0;
  let first = Infinity;
  let last = 0;
  await Promise.all(perLane.map(async (count, lane) => {
    const signer = signers[lane]!;
    const node = nodes[lane % nodes.length]!;
    let lastHash: string | undefined;
    for (let k = 0; k < count; k++) {
      const nonce = st.nonces.get(signer.pubkey) ?? 1;
      const patient = keyFromSeed(deriveSeed(`${o.devnetSeed}/ledger-load`, `patient/${st.patients++}`)).pubkey;
      const tx = buildTx('patient.register', { patient }, signer.seed, nonce, chainId);
      for (let attempt = 0; ; attempt++) {
        const b = await node.broadcastTxSync(tx).catch((e: Error) => ({ code: -1, log: e.message, hash: '' }));
        if (b.code === 0) {
          st.nonces.set(signer.pubkey, nonce + 1);
          lastHash = b.hash;
          break;
        }
        // a full mempool or a node still committing: back off and retry, a few times
        if (attempt >= 20) throw new Error(`patient.register by ${signer.label} refused: code ${b.code} ${b.log}`);
        await sleep(100 * (attempt + 1));
      }
    }
    if (!lastHash) return;
    // Lanes are in nonce order in one mempool: once the last is in a block, all are.
    const res = await node.waitForTx(lastHash, 120_000);
    first = Math.min(first, Number(res.height));
    last = Math.max(last, Number(res.height));
    if (res.tx_result.code === 0) ok += count;
    else unexpected += count;
  }));
  // every node has the last block before the caller syncs from any of them
  await Promise.all(nodes.map((n) => n.waitForHeight(BigInt(last), 60_000)));
  return { ok, unexpected, heights: { first: Number.isFinite(first) ? first : 0, last } };
}
