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

  it('guards the console methods the same way: frame first, then payload', async () => {
    const index = 'file:///app/.vite/renderer/main_window/index.html';
    const exportReport = handlers.get('custos:call:report.export')!;
    // A foreign frame is refused before the payload is even looked at.
    expect(await exportReport(frame('file:///tmp/evil.html'), { format: 'pdf', path: '/tmp/x.pdf' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await exportReport(frame('https://example.com/'), { format: 'pdf', path: null })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Our frame with a bad payload: refused by the schema.
    expect(await exportReport(frame(index), { format: 'pdf', path: 'relative.pdf' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await handlers.get('custos:call:sync.start')!(frame(index), { endpoints: ['http://evil'] })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // Well-formed, from our frame: reaches the handler (no console service in this test).
    expect(await exportReport(frame(index), { format: 'pdf', path: '/tmp/x.pdf' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
