import { describe, expect, it, vi } from 'vitest';
import { checkEvent, checkRequest, eventNames, methodNames, methods } from './contract';
import { dispatch, type Handlers } from './dispatch';
import { ApiError, checkResult, unwrap } from './result';
import { clientMessage, hostMessage, parseMessage, MAX_MESSAGE_BYTES } from './wire';
import { methodChannel } from './bridge';

const unavailable = Object.fromEntries(methodNames.map((m) => [m, () => { throw new ApiError('unavailable', 'not in this test'); }])) as unknown as Handlers;
const handlers = {
  ...unavailable,
  'app.info': () => ({ name: 'Custos', version: '0.1.0', host: 'headless', platform: 'linux' }),
  'app.ping': ({ echo }: { echo: string }) => ({ echo, at: 1_700_000_000_000 }),
} as Handlers;

describe('contract', () => {
  it('lists every method and event with a request/response schema', () => {
    expect(methodNames.slice(0, 2)).toEqual(['app.info', 'app.ping']);
    expect(methodNames).toEqual(expect.arrayContaining(['console.status', 'profile.probe', 'profile.create', 'sync.start', 'sync.pause', 'verify.start', 'report.export', 'bundle.import', 'explorer.search', 'explorer.block', 'explorer.tx']));
    expect(eventNames).toEqual(['host.notice', 'console.status']);
    for (const m of methodNames) {
      expect(methods[m].summary.length).toBeGreaterThan(0);
      expect(methodChannel(m)).toBe(`custos:call:${m}`);
    }
  });

  it('rejects bad request payloads', () => {
    expect(checkRequest('app.info', {}).ok).toBe(true);
    expect(checkRequest('app.info', undefined)).toEqual({ ok: false, error: 'app.info request: expected object, got undefined' });
    expect(checkRequest('app.info', { extra: 1 })).toEqual({ ok: false, error: 'app.info request: unexpected key "extra"' });
    expect(checkRequest('app.ping', { echo: 'x'.repeat(65) }).ok).toBe(false);
    expect(checkRequest('app.ping', { echo: 5 }).ok).toBe(false);
  });

  it('rejects bad event payloads', () => {
    expect(checkEvent('host.notice', { level: 'info', message: 'bye' }).ok).toBe(true);
    expect(checkEvent('host.notice', { level: 'fatal', message: 'bye' }).ok).toBe(false);
    expect(checkEvent('host.notice', { level: 'info', message: '' }).ok).toBe(false);
  });
});

describe('dispatch', () => {
  it('runs a valid call', async () => {
    expect(await dispatch(handlers, 'app.ping', { echo: 'hi' })).toEqual({ ok: true, result: { echo: 'hi', at: 1_700_000_000_000 } });
  });

  it('refuses unknown methods, including prototype names', async () => {
    expect(await dispatch(handlers, 'app.exec', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await dispatch(handlers, 'constructor', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await dispatch(handlers, 42, {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('refuses bad payloads before the handler runs', async () => {
    const spy = vi.fn(handlers['app.ping']);
    const r = await dispatch({ ...handlers, 'app.ping': spy }, 'app.ping', { echo: 'hi', cmd: 'rm' });
    expect(r).toEqual({ ok: false, error: { code: 'bad-request', message: 'app.ping request: unexpected key "cmd"' } });
    expect(spy).not.toHaveBeenCalled();
  });

  it('turns handler failures and invalid responses into internal errors without leaking details', async () => {
    const onInternalError = vi.fn();
    const throwing: Handlers = { ...handlers, 'app.info': () => { throw new Error('secret path /home/x'); } };
    const r1 = await dispatch(throwing, 'app.info', {}, { onInternalError });
    expect(r1).toEqual({ ok: false, error: { code: 'internal', message: 'app.info failed on the host; see the host log' } });
    const invalid = { ...handlers, 'app.info': () => ({ name: 'Custos' }) } as unknown as Handlers;
    const r2 = await dispatch(invalid, 'app.info', {}, { onInternalError });
    expect(r2).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(onInternalError).toHaveBeenCalledTimes(2);
  });

  it('passes ApiError codes through', async () => {
    const busy: Handlers = { ...handlers, 'app.info': () => { throw new ApiError('unavailable', 'not ready'); } };
    expect(await dispatch(busy, 'app.info', {})).toEqual({ ok: false, error: { code: 'unavailable', message: 'not ready' } });
  });
});

describe('result envelopes (renderer side)', () => {
  it('accepts ok and error envelopes and rejects anything else', () => {
    expect(checkResult('app.ping', { ok: true, result: { echo: 'a', at: 1 } }).ok).toBe(true);
    expect(checkResult('app.ping', { ok: false, error: { code: 'forbidden', message: 'no' } }).ok).toBe(true);
    expect(checkResult('app.ping', { ok: true, result: { echo: 'a' } }).ok).toBe(false);
    expect(checkResult('app.ping', { ok: false, error: { code: 'teapot', message: 'no' } }).ok).toBe(false);
    expect(checkResult('app.ping', { result: { echo: 'a', at: 1 } }).ok).toBe(false);
    expect(checkResult('app.info', { ok: true, result: { name: 'x', version: '1', host: 'browser', platform: 'linux' } }).ok).toBe(false);
  });

  it('unwrap throws ApiError with the code', () => {
    expect(() => unwrap('app.info', { ok: false, error: { code: 'forbidden', message: 'no' } })).toThrow(ApiError);
    expect(unwrap('app.ping', { ok: true, result: { echo: 'a', at: 1 } })).toEqual({ echo: 'a', at: 1 });
  });
});

describe('WebSocket wire messages', () => {
  it('parses calls and rejects malformed frames', () => {
    expect(parseMessage(clientMessage, '{"type":"call","id":1,"method":"app.info","payload":{}}').ok).toBe(true);
    expect(parseMessage(clientMessage, 'not json')).toEqual({ ok: false, error: 'message is not JSON' });
    expect(parseMessage(clientMessage, '{"type":"call","id":-1,"method":"app.info","payload":{}}').ok).toBe(false);
    expect(parseMessage(clientMessage, '{"type":"call","id":1,"method":"","payload":{}}').ok).toBe(false);
    expect(parseMessage(clientMessage, '{"type":"subscribe","id":1}').ok).toBe(false);
    expect(parseMessage(clientMessage, '{"type":"call","id":1,"method":"app.info","payload":{},"x":1}').ok).toBe(false);
    expect(parseMessage(clientMessage, ' '.repeat(MAX_MESSAGE_BYTES + 1))).toEqual({ ok: false, error: 'message too large' });
  });

  it('parses host messages', () => {
    expect(parseMessage(hostMessage, '{"type":"event","event":"host.notice","payload":{}}').ok).toBe(true);
    expect(parseMessage(hostMessage, '{"type":"result","id":"1","result":{}}').ok).toBe(false);
  });
});
