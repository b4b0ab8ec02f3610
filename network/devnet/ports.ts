// Loopback port plan of a devnet and the check that every port is free before starting.
import { createServer } from 'node:net';

export interface NodePorts {
  p2p: number;
  rpc: number;
  abci: number;
}

/** Node i uses base + 10·i + {0: p2p, 1: rpc, 2: abci}. */
export function portsFor(basePort: number, index: number): NodePorts {
  const b = basePort + 10 * index;
  return { p2p: b, rpc: b + 1, abci: b + 2 };
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export class PortInUseError extends Error {}

/** Throws a PortInUseError naming every taken port. */
export async function assertPortsFree(ports: { port: number; what: string }[]): Promise<void> {
  const taken: string[] = [];
  for (const p of ports) if (!(await isPortFree(p.port))) taken.push(`${p.port} (${p.what})`);
  if (taken.length > 0) {
    throw new PortInUseError(
      `port${taken.length > 1 ? 's' : ''} already in use on 127.0.0.1: ${taken.join(', ')}. ` +
        'Is another devnet running (npm run devnet -- down)? Or pick other ports with --base-port.',
    );
  }
}

/**
 * Finds a base port whose whole plan for `nodes` nodes is free (tests use this). The default
 * range stays below the ephemeral ports the OS hands to outgoing connections (Linux
 * 32768–60999, macOS and Windows 49152–65535): a port free when we look could otherwise be
 * taken by some client's connection before our node binds it.
 */
export async function findFreeBasePort(nodes: number, from = 20000, to = 32000, tries = 50): Promise<number> {
  for (let i = 0; i < tries; i++) {
    const base = from + 100 * Math.floor(Math.random() * ((to - from) / 100));
    let ok = true;
    for (let n = 0; n < nodes && ok; n++) {
      for (const p of Object.values(portsFor(base, n))) if (!(await isPortFree(p))) ok = false;
    }
    if (ok) return base;
  }
  throw new Error(`no free base port found for ${nodes} nodes after ${tries} tries`);
}
