// The live network the e2e suite runs against: a fresh 4-validator devnet on free loopback
// ports with a small workload (consents, accesses, anomalies, a governance proposal), and a
// byzantine proxy in front of node 0 that rewrites one header field at one height.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreeBasePort, PortInUseError, startDevnet, type Devnet } from '../../network/devnet';
import { ANOMALY_KINDS, runWorkload } from '../../network/workload';
import { fetchGenesis, RpcClient } from '../../electron/services/sync';
import { startByzantineProxy, type ByzantineProxy } from '../../test/support/byzantine-proxy';
import { startLatencyProxy, type LatencyProxy } from '../../test/support/latency-proxy';

export interface LiveNet {
  rpc: string[];
  chainId: string;
  genesisSha256: string;
  byzantine: { url: string; height: number; check: string };
  /** Nodes 2 and 3 behind latency proxies: a sync slow enough to watch, pause and resume. */
  slow: string[];
  stop(): Promise<void>;
}

const log = (line: string) => console.log(`[e2e devnet] ${line}`);

async function freshDevnet(home: string): Promise<Devnet> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevnet({ home, basePort: await findFreeBasePort(4), reset: true, log: (l) => attempt > 1 && log(l) });
    } catch (e) {
      if (!(e instanceof PortInUseError) || attempt >= 5) throw e;
    }
  }
}

export async function startLiveNet(): Promise<LiveNet> {
  const home = mkdtempSync(join(tmpdir(), 'custos-e2e-devnet-'));
  const t0 = Date.now();
  const net = await freshDevnet(join(home, 'devnet'));
  let proxy: ByzantineProxy | null = null;
  const slow: LatencyProxy[] = [];
  try {
    const rpc = net.nodes.map((n) => n.rpc);
    const wl = await runWorkload({ rpc, devnetSeed: net.seed, txs: 160, anomalies: [...ANOMALY_KINDS], perKind: 1, offchainDir: join(home, 'offchain'), waitGovernanceMs: 0 });
    const tip = Number((await net.rpc(0).status()).sync_info.latest_block_height);
    log(`up in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${rpc.length} validators, ${wl.truth.governance ? 'a governance proposal, ' : ''}tip ${tip}`);
    const { genesis } = await fetchGenesis([new RpcClient(rpc[0]!)]);
    if (!genesis) throw new Error('the devnet served no genesis');
    // A header the proxy rewrites (block, commit and /blockchain metas alike), so the sync
    // catches it whether node 0 serves that height's data or vouches for it as a witness.
    const height = Math.max(3, Math.floor(tip / 2));
    proxy = await startByzantineProxy(rpc[0]!, [{ kind: 'header-field', height, field: 'app_hash' }]);
    for (const i of [2, 3]) slow.push(await startLatencyProxy(rpc[i]!, 600, 1));
    const p = proxy;
    return {
      rpc,
      chainId: net.chainId,
      genesisSha256: genesis.sha256,
      byzantine: { url: p.url, height, check: 'header.hash' },
      slow: slow.map((s) => s.url),
      async stop() {
        await p.close().catch(() => undefined);
        for (const s of slow) await s.close().catch(() => undefined);
        await net.stop();
        rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await proxy?.close().catch(() => undefined);
    for (const s of slow) await s.close().catch(() => undefined);
    await net.stop();
    rmSync(home, { recursive: true, force: true });
    throw e;
  }
}
