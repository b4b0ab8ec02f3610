import { describe, expect, it, vi } from 'vitest';
import { checkSender, decideNavigation, guardedDispatch, trustedOrigins } from './guard';
import { createHandlers } from '../api/handlers';

const packaged = trustedOrigins(undefined, 'file:///opt/Custos/resources/app.asar/.vite/renderer/main_window/index.html');
const dev = trustedOrigins('http://localhost:5173', 'file:///work/.vite/renderer/main_window/index.html');
const handlers = createHandlers({ host: 'electron', name: 'Custos', version: '0.1.0', platform: 'linux', now: () => 5 });

describe('checkSender', () => {
  it('accepts the packaged renderer file, with or without hash/query', () => {
    expect(checkSender('file:///opt/Custos/resources/app.asar/.vite/renderer/main_window/index.html', packaged)).toBe(true);
    expect(checkSender('file:///opt/Custos/resources/app.asar/.vite/renderer/main_window/index.html#/verify', packaged)).toBe(true);
  });

  it('refuses other files, other schemes and empty URLs', () => {
    expect(checkSender('file:///tmp/evil.html', packaged)).toBe(false);
    expect(checkSender('file:///opt/Custos/resources/app.asar/.vite/renderer/main_window/../main_window/index.htm', packaged)).toBe(false);
    expect(checkSender('http://localhost:5173/', packaged)).toBe(false);
    expect(checkSender('about:blank', packaged)).toBe(false);
    expect(checkSender('data:text/html,hi', packaged)).toBe(false);
    expect(checkSender('devtools://devtools/bundled/inspector.html', packaged)).toBe(false);
    expect(checkSender('', packaged)).toBe(false);
    expect(checkSender(undefined, packaged)).toBe(false);
    expect(checkSender('not a url', packaged)).toBe(false);
  });

  it('accepts only the exact dev server origin in development', () => {
    expect(checkSender('http://localhost:5173/index.html#/sync', dev)).toBe(true);
    expect(checkSender('http://localhost:5174/', dev)).toBe(false);
    expect(checkSender('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(checkSender('https://localhost:5173/', dev)).toBe(false);
    expect(checkSender('http://localhost:5173.evil.example/', dev)).toBe(false);
  });
});

describe('guardedDispatch', () => {
  const main = (url: string) => ({ url, isMainFrame: true });

  it('answers the app renderer', async () => {
    const r = await guardedDispatch(main('http://localhost:5173/'), 'app.ping', { echo: 'x' }, dev, handlers);
    expect(r).toEqual({ ok: true, result: { echo: 'x', at: 5 } });
  });

  it('refuses foreign senders, subframes and missing frames before looking at the payload', async () => {
    const spy = vi.fn(handlers['app.info']);
    const h = { ...handlers, 'app.info': spy };
    for (const sender of [main('https://evil.example/'), { url: 'http://localhost:5173/', isMainFrame: false }, null]) {
      expect(await guardedDispatch(sender, 'app.info', {}, dev, h)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('validates the payload of a trusted sender', async () => {
    const r = await guardedDispatch(main('http://localhost:5173/'), 'app.ping', { echo: 1 }, dev, handlers);
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});

describe('decideNavigation', () => {
  it('sends web links to the system browser and denies everything else', () => {
    expect(decideNavigation('https://hl7.org/fhir/consent.html', packaged)).toBe('open-external');
    expect(decideNavigation('http://example.org/', packaged)).toBe('open-external');
    expect(decideNavigation('https://user:pw@example.org/', packaged)).toBe('deny');
    expect(decideNavigation('file:///etc/passwd', packaged)).toBe('deny');
    expect(decideNavigation('javascript:alert(1)', packaged)).toBe('deny');
    expect(decideNavigation('custos-evil://x', packaged)).toBe('deny');
    expect(decideNavigation('file:///opt/Custos/resources/app.asar/.vite/renderer/main_window/index.html', packaged)).toBe('allow');
  });
});
