// A loopback HTTP proxy that adds latency and nothing else: every request is held `delayMs`
// (at most `maxInFlight` at a time, the others queue), then forwarded, and the upstream's
// answer is returned byte for byte (unlike the byzantine proxy, which re-serializes the JSON
// it rewrites). Makes a sync against a fast local devnet last long enough to be interrupted
// at many points.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LatencyProxy {
  url: string;
  requests(): number;
  close(): Promise<void>;
}

export async function startLatencyProxy(upstream: string, delayMs: number, maxInFlight = Infinity): Promise<LatencyProxy> {
  let count = 0;
  let inFlight = 0;
  const queue: (() => void)[] = [];
  const slot = (): Promise<void> =>
    inFlight < maxInFlight ? (inFlight++, Promise.resolve()) : new Promise<void>((r) => queue.push(() => (inFlight++, r())));
  const release = (): void => {
    inFlight--;
    queue.shift()?.();
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count++;
      void slot().then(() => setTimeout(() => {
        // the client is gone (killed, timed out): do not make the next one wait behind it
        if (res.destroyed || req.socket.destroyed) return release();
        const body = Buffer.concat(chunks);
        fetch(new URL(req.url ?? '/', upstream), {
          method: req.method,
          headers: req.method === 'POST' ? { 'content-type': 'application/json' } : {},
          body: req.method === 'POST' ? body : undefined,
          signal: AbortSignal.timeout(30_000),
        })
          .then(async (up) => {
            const bytes = Buffer.from(await up.arrayBuffer());
            res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json', 'content-length': String(bytes.length) });
            res.end(bytes);
          })
          .catch(() => {
            if (!res.headersSent) res.writeHead(502);
            res.end();
          })
          .finally(release);
      }, delayMs));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
