// The headless host: the built renderer over HTTP and the API contract over a WebSocket,
// both on 127.0.0.1 only and both behind the per-start token (see auth.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  checkEvent,
  clientMessage,
  dispatch,
  MAX_MESSAGE_BYTES,
  parseMessage,
  type EventName,
  type EventPayload,
  type Handlers,
  type HostMessage,
} from '../../shared/api';
import { checkUpgrade, cookieName, hostMatches, LOOPBACK, newToken, ownOrigin, requestToken, tokenMatches } from './auth';
import { readStatic, securityHeaders } from './static';

export interface HostOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Folder of the built renderer (renderer/dist). */
  distDir: string;
  handlers: Handlers;
  /** Receives log lines; they never contain the token. */
  log?: (line: string) => void;
  /** Fixed token, for tests only; by default a fresh random one. */
  token?: string;
}

export interface RunningHost {
  port: number;
  /** The URL to open, carrying the token. Print it once; do not log it anywhere else. */
  url: string;
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}

const UNAUTHORIZED_PAGE =
  'Custos headless host: access token missing or wrong.\n\nOpen the URL that `npm run serve` printed; it carries the token (http://127.0.0.1:PORT/?token=...).\n';

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? newToken();
  const log = opts.log ?? (() => {});
  let port = 0;

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...securityHeaders(port), 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostMatches(req.headers.host, port)) return send(res, 403, 'text/plain; charset=utf-8', 'Forbidden: wrong Host header.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.\n', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', ownOrigin(port));
    const given = requestToken(url, req.headers.cookie, port);
    if (!tokenMatches(given.token, token)) {
      log(`refused HTTP ${url.pathname}: missing or wrong token`);
      return send(res, 401, 'text/plain; charset=utf-8', UNAUTHORIZED_PAGE);
    }
    const file = await readStatic(opts.distDir, url.pathname);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Not found.\n');
    // First visit carries ?token=; the cookie lets the page's own scripts and styles load.
    const extra: Record<string, string> = given.fromQuery ? { 'Set-Cookie': `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict` } : {};
    send(res, 200, file.type, file.body, extra);
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      log(`internal error serving a request: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error.\n');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const verdict = checkUpgrade(req, port, token);
    if (!verdict.ok) {
      log(`refused WebSocket: ${verdict.reason}`);
      const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[verdict.status];
      socket.end(`HTTP/1.1 ${verdict.status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    log(`renderer connected (${wss.clients.size} open)`);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      const msg = parseMessage(clientMessage, data.toString());
      if (!msg.ok) return ws.close(1008, msg.error.slice(0, 100));
      const { id, method, payload } = msg.value;
      void dispatch(opts.handlers, method, payload, {
        onInternalError: (m, err) => log(`${m} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
      }).then((result) => {
        const reply: HostMessage = { type: 'result', id, result };
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      });
    });
    ws.on('close', () => log(`renderer disconnected (${wss.clients.size} open)`));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `${ownOrigin(port)}/?token=${token}`,
    broadcast(event, payload) {
      const checked = checkEvent(event, payload);
      if (!checked.ok) return log(`not sending invalid event: ${checked.error}`);
      const text = JSON.stringify({ type: 'event', event, payload: checked.value } satisfies HostMessage);
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
    },
    close() {
      for (const client of wss.clients) client.terminate();
      return new Promise<void>((done) => {
        wss.close();
        server.closeAllConnections();
        server.close(() => done());
      });
    },
  };
}
