// The preload runs against a stub of the `electron` module (no binary needed): it must expose
// exactly { call, on } and check payloads before anything reaches ipcRenderer.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CustosBridge } from '../../shared/api';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn();
let eventHandler: ((e: unknown, message: unknown) => void) | undefined;

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    on: (channel: string, fn: (e: unknown, message: unknown) => void) => {
      if (channel === 'custos:event') eventHandler = fn;
    },
  },
}));

let bridge: CustosBridge;
beforeAll(async () => {
  await import('./preload');
  bridge = exposed.custos as CustosBridge;
});

describe('preload bridge', () => {
  it('exposes only call and on, frozen', () => {
    expect(Object.keys(exposed)).toEqual(['custos']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('forwards valid calls to the method channel', async () => {
    invoke.mockResolvedValueOnce({ ok: true, result: { echo: 'x', at: 1 } });
    expect(await bridge.call('app.ping', { echo: 'x' })).toEqual({ ok: true, result: { echo: 'x', at: 1 } });
    expect(invoke).toHaveBeenLastCalledWith('custos:call:app.ping', { echo: 'x' });
  });

  it('refuses unknown methods and bad payloads without touching IPC', async () => {
    invoke.mockClear();
    expect(await bridge.call('shell.exec' as 'app.info', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await bridge.call('app.ping', { echo: 7 } as unknown as { echo: string })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('delivers valid events to subscribers only, without the Electron event object, until unsubscribed', () => {
    const seen: unknown[] = [];
    const off = bridge.on('host.notice', (p) => seen.push(p));
    eventHandler?.({ sender: 'secret' }, { event: 'host.notice', payload: { level: 'info', message: 'hi' } });
    eventHandler?.({}, { event: 'host.notice', payload: { level: 'loud', message: 'hi' } });
    eventHandler?.({}, { event: 'nope', payload: {} });
    off();
    eventHandler?.({}, { event: 'host.notice', payload: { level: 'info', message: 'after' } });
    expect(seen).toEqual([{ level: 'info', message: 'hi' }]);
    expect(() => bridge.on('nope' as 'host.notice', () => {})).toThrow(TypeError);
  });
});
