// Programmatic API of the devnet, for the integration tests, the workload generator and
// later issues. See devnet.ts for the lifecycle and cli.ts for the command line.
export { startDevnet, readLayout, layoutPath, supervisorAlive } from './devnet';
export type { Devnet, DevnetNode, DevnetOptions, DevnetLayout } from './devnet';
export { defaultDevnetHome } from './paths';
export { findFreeBasePort, portsFor, PortInUseError } from './ports';
export { ensureCometbft, COMETBFT_VERSION, GoMissingError } from './cometbft-binary';
export { CometRpc, RpcError, txHash } from '../client/rpc';

import { readLayout, supervisorAlive } from './devnet';
import { defaultDevnetHome } from './paths';

/** RPC endpoints of a devnet running in another process (e.g. `npm run devnet`), or throws. */
export function runningDevnetEndpoints(home = defaultDevnetHome()): { chainId: string; seed: string; rpc: string[] } {
  const layout = readLayout(home);
  if (!layout || !supervisorAlive(layout)) {
    throw new Error(`no running devnet in ${home}; start one with \`npm run devnet\``);
  }
  return { chainId: layout.chainId, seed: layout.seed, rpc: layout.nodes.map((n) => n.rpc) };
}
