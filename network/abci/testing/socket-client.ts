// A minimal ABCI socket client speaking CometBFT's wire protocol, for tests and probes:
// requests are written uvarint-delimited; every call sends the request plus a Flush
// (as abci/client/socket_client.go does for sync calls) and resolves with the response.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import type { DeepPartial } from 'cosmjs-types/helpers';
import { FrameDecoder, encodeFrame } from '../framing';

export class AbciSocketClient {
  private readonly decoder = new FrameDecoder();
  private readonly waiting: { resolve: (r: Response) => void; reject: (e: Error) => void }[] = [];
  private closedError: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.decoder.push(chunk)) this.waiting.shift()?.resolve(Response.decode(f));
    });
    socket.on('close', () => this.failAll(new Error('connection closed')));
    socket.on('error', (e) => this.failAll(e));
  }

  static async connect(port: number, timeoutMs = 5000): Promise<AbciSocketClient> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('connect timeout')), timeoutMs);
      socket.once('connect', () => (clearTimeout(t), resolve()));
      socket.once('error', (e) => (clearTimeout(t), reject(e)));
    });
    return new AbciSocketClient(socket);
  }

  /** Raw bytes, for framing tests: the caller is responsible for counting responses. */
  writeRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Registers n expected responses without sending anything. */
  expect(n: number, timeoutMs = 5000): Promise<Response[]> {
    return Promise.all(Array.from({ length: n }, () => this.next(timeoutMs)));
  }

  /** Sends requests back to back, then one Flush; resolves with all responses (Flush's last). */
  async batch(reqs: DeepPartial<Request>[], timeoutMs = 5000): Promise<Response[]> {
    const all = [...reqs, { flush: {} }];
    const pending = all.map(() => this.next(timeoutMs));
    this.socket.write(Buffer.concat(all.map((r) => encodeFrame(Request.encode(Request.fromPartial(r)).finish()))));
    return Promise.all(pending);
  }

  async call(req: DeepPartial<Request>, timeoutMs = 5000): Promise<Response> {
    const [res] = await this.batch([req], timeoutMs);
    return res!;
  }

  close(): void {
    this.socket.destroy();
  }

  private next(timeoutMs: number): Promise<Response> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('response timeout')), timeoutMs);
      this.waiting.push({
        resolve: (r) => (clearTimeout(t), resolve(r)),
        reject: (e) => (clearTimeout(t), reject(e)),
      });
    });
  }

  private failAll(e: Error): void {
    this.closedError ??= e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }
}
