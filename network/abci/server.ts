// ABCI socket server: accepts the connections CometBFT opens (consensus, mempool, query,
// snapshot; proxy/multi_app_conn.go) on one TCP or unix socket.
//
// Per connection, like abci/server/socket_server.go handleRequests/handleResponses:
// read uvarint-delimited Requests in order, answer each in the same order, and buffer
// responses until a Flush (the client's socket_client.go sends Flush after each batch
// and waits for its response) or until the buffer is large. On a ResponseException the
// connection is closed after it is written.
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { FrameDecoder, encodeFrame } from './framing';
import { requestKind } from './app';
import type { Logger } from './log';

export interface RequestHandler {
  handle(req: Request): Response;
}

/** socket_server.go uses bufio.Writer (flushes when full); we flush at this many bytes. */
const WRITE_HIGH_WATER = 256 * 1024;

export type ListenAddr = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

/** Parses tcp://127.0.0.1:PORT or unix:///path (CometBFT's proxy_app syntax). Loopback only. */
export function parseListenAddr(addr: string): ListenAddr {
  const unix = /^unix:\/\/(.+)$/.exec(addr);
  if (unix) return { kind: 'unix', path: unix[1]! };
  const tcp = /^(?:tcp:\/\/)?(\[[^\]]+\]|[^:/]+):(\d+)$/.exec(addr);
  if (!tcp) throw new Error(`cannot parse address ${JSON.stringify(addr)} (want tcp://127.0.0.1:PORT or unix:///path)`);
  const host = tcp[1]!.replace(/^\[|\]$/g, '');
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error(`refusing to listen on ${host}: the ABCI server only serves loopback (127.0.0.1)`);
  }
  const port = Number(tcp[2]);
  if (port < 0 || port > 65535) throw new Error(`bad port ${tcp[2]}`);
  return { kind: 'tcp', host, port };
}

export class AbciServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private nextConnId = 1;

  constructor(
    private readonly handler: RequestHandler,
    private readonly log: Logger,
  ) {}

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  async listen(addr: string): Promise<string> {
    const where = parseListenAddr(addr);
    const server = createServer({ noDelay: true }, (s) => this.serve(s));
    this.server = server;
    if (where.kind === 'unix') rmSync(where.path, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (where.kind === 'unix') server.listen(where.path, resolve);
      else server.listen(where.port, where.host, resolve);
    });
    server.on('error', (e) => this.log.error('ABCI server error', { err: e }));
    const a = server.address();
    const bound = typeof a === 'string' ? `unix://${a}` : `tcp://${a!.address}:${a!.port}`;
    this.log.info('ABCI server listening', { addr: bound });
    return bound;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    const id = this.nextConnId++;
    this.sockets.add(socket);
    const decoder = new FrameDecoder();
    let out: Uint8Array[] = [];
    let outBytes = 0;
    let closed = false;
    this.log.info('ABCI connection opened', { conn: id, remote: socket.remoteAddress ?? 'unix' });

    const flushOut = () => {
      if (outBytes === 0 || closed) return;
      const data = Buffer.concat(out, outBytes);
      out = [];
      outBytes = 0;
      if (!socket.write(data)) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    };
    const send = (res: Response, flush: boolean) => {
      const frame = encodeFrame(Response.encode(res).finish());
      out.push(frame);
      outBytes += frame.length;
      if (flush || outBytes >= WRITE_HIGH_WATER) flushOut();
    };
    const fail = (message: string) => {
      this.log.error('ABCI exception; closing connection', { conn: id, err: message });
      send({ exception: { error: message } }, true);
      closed = true;
      socket.end();
    };

    socket.on('data', (chunk: Buffer) => {
      if (closed) return;
      let frames: Uint8Array[];
      try {
        frames = decoder.push(chunk);
      } catch (e) {
        return fail(`error reading message: ${errMsg(e)}`);
      }
      for (const frame of frames) {
        if (closed) return;
        let req: Request;
        try {
          req = Request.decode(frame);
        } catch (e) {
          return fail(`error reading message: ${errMsg(e)}`);
        }
        let res: Response;
        try {
          res = this.handler.handle(req);
        } catch (e) {
          return fail(`${requestKind(req) ?? 'unknown request'}: ${errMsg(e)}`);
        }
        send(res, req.flush !== undefined);
      }
    });
    socket.on('error', (e) => this.log.warn('ABCI connection error', { conn: id, err: e }));
    socket.on('close', () => {
      closed = true;
      this.sockets.delete(socket);
      this.log.info('ABCI connection closed', { conn: id });
    });
  }
}

function errMsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
