// registerIpc against a stub ipcMain: one handler per contract method, each guarded.
import { describe, expect, it, vi } from 'vitest';
import { methodNames } from '../../shared/api';
import { createHandlers } from '../api/handlers';
import { trustedOrigins } from './guard';

const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => handlers.set(channel, fn) },
}));

describe('registerIpc', async () => {
  const { registerIpc } = await import('./ipc');
  const trusted = trustedOrigins(undefined, 'file:///app/.vite/renderer/main_window/index.html');
  registerIpc(trusted, createHandlers({ host: 'electron', name: 'Custos', version: '0.1.0', platform: 'linux', now: () => 1 }));
  const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

  it('registers exactly one channel per contract method', () => {
    expect([...handlers.keys()].sort()).toEqual(methodNames.map((m) => `custos:call:${m}`).sort());
  });

  it('answers our renderer and refuses other frames', async () => {
    const info = handlers.get('custos:call:app.info')!;
    expect(await info(frame('file:///app/.vite/renderer/main_window/index.html#/sync'), {})).toMatchObject({ ok: true, result: { host: 'electron' } });
    expect(await info(frame('file:///tmp/x.html'), {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await info(frame('file:///app/.vite/renderer/main_window/index.html', {}), {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await info({ senderFrame: null }, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await info(frame('file:///app/.vite/renderer/main_window/index.html'), { x: 1 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
