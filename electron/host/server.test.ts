// One real headless host on a free port, reached with the `ws` client and fetch.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHandlers } from '../api/handlers';
import { startHost, type RunningHost } from './server';

let host: RunningHost;
let token: string;
const logs: string[] = [];

beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'custos-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Custos</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  const handlers = createHandlers({ host: 'headless', name: 'Custos', version: '0.1.0', platform: 'linux', now: () => 42 });
  host = await startHost({ port: 0, distDir: dist, handlers, log: (l) => logs.push(l) });
  token = new URL(host.url).searchParams.get('token') ?? '';
});

afterAll(async () => {
  await host.close();
});

function open(path: string, origin?: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, origin ? { origin } : {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, msg: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(JSON.stringify(msg));
  });
}

describe('headless host', () => {
  it('listens on 127.0.0.1 with a random port and a token in the URL', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(host.port).toBeGreaterThan(0);
  });

  it('serves the app only with the token, and sets the per-port cookie for its assets', async () => {
    expect((await fetch(`http://127.0.0.1:${host.port}/`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${host.port}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${host.port}/assets/app.js`)).status).toBe(401);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(page.headers.get('set-cookie')).toContain('HttpOnly');
    const asset = await fetch(`http://127.0.0.1:${host.port}/assets/app.js`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`http://127.0.0.1:${host.port}/assets/none.js`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(host.url, { method: 'POST' })).status).toBe(405);
  });

  it('answers API calls over the WebSocket with the token and our own Origin', async () => {
    const ws = await open(`/api?token=${token}`, `http://127.0.0.1:${host.port}`);
    expect(await call(ws, { type: 'call', id: 1, method: 'app.info', payload: {} })).toEqual({
      type: 'result',
      id: 1,
      result: { ok: true, result: { name: 'Custos', version: '0.1.0', host: 'headless', platform: 'linux' } },
    });
    expect(await call(ws, { type: 'call', id: 2, method: 'app.ping', payload: { echo: 'x', extra: 1 } })).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'bad-request' } },
    });
    expect(await call(ws, { type: 'call', id: 3, method: 'fs.read', payload: {} })).toMatchObject({ id: 3, result: { ok: false, error: { code: 'unknown-method' } } });
    const events = new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
    host.broadcast('host.notice', { level: 'info', message: 'hello' });
    expect(await events).toEqual({ type: 'event', event: 'host.notice', payload: { level: 'info', message: 'hello' } });
    ws.close();
  });

  it('closes the socket on a malformed message', async () => {
    const ws = await open(`/api?token=${token}`, `http://127.0.0.1:${host.port}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{"type":"call","id":"1"}');
    expect(await closed).toBe(1008);
  });

  it('refuses a WebSocket without the token, with a wrong token, or from a foreign Origin', async () => {
    const own = `http://127.0.0.1:${host.port}`;
    await expect(open('/api', own)).rejects.toThrow('HTTP 401');
    await expect(open('/api?token=AAAA', own)).rejects.toThrow('HTTP 401');
    await expect(open(`/api?token=${token}`, 'https://evil.example')).rejects.toThrow('HTTP 403');
    await expect(open(`/api?token=${token}`, `http://localhost:${host.port}`)).rejects.toThrow('HTTP 403');
    await expect(open(`/api?token=${token}`)).rejects.toThrow('HTTP 403');
  });

  it('never writes the token to its log', () => {
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line).not.toContain(token);
  });
});
