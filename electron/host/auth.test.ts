import { describe, expect, it } from 'vitest';
import { checkUpgrade, cookieName, hostMatches, newToken, originMatches, requestToken, tokenMatches } from './auth';
import { resolveInside } from './static';

describe('token', () => {
  it('is 32 random bytes in URL-safe base64, different each start', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });

  it('matches only the exact token', () => {
    const t = newToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(`${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`, t)).toBe(false);
    expect(tokenMatches(t.slice(1), t)).toBe(false);
    expect(tokenMatches('', t)).toBe(false);
    expect(tokenMatches(null, t)).toBe(false);
    expect(tokenMatches(undefined, t)).toBe(false);
    expect(tokenMatches(`${t.slice(0, -1)}é`, t)).toBe(false); // same length, not base64url
  });

  it('is read from ?token= first, then from the per-port cookie', () => {
    const url = (q: string) => new URL(`http://127.0.0.1:4000/${q}`);
    expect(requestToken(url('?token=abc'), undefined, 4000)).toEqual({ token: 'abc', fromQuery: true });
    expect(requestToken(url('assets/x.js'), `a=1; ${cookieName(4000)}=xyz`, 4000)).toEqual({ token: 'xyz', fromQuery: false });
    expect(requestToken(url('assets/x.js'), `${cookieName(4001)}=xyz`, 4000)).toEqual({ token: null, fromQuery: false });
    expect(requestToken(url(''), undefined, 4000)).toEqual({ token: null, fromQuery: false });
  });
});

describe('origin and host', () => {
  it('accepts only our own loopback origin', () => {
    expect(originMatches('http://127.0.0.1:4000', 4000)).toBe(true);
    expect(originMatches('http://127.0.0.1:4001', 4000)).toBe(false);
    expect(originMatches('http://localhost:4000', 4000)).toBe(false);
    expect(originMatches('https://evil.example', 4000)).toBe(false);
    expect(originMatches('null', 4000)).toBe(false);
    expect(originMatches(undefined, 4000)).toBe(false);
  });

  it('accepts only our own Host header (DNS rebinding)', () => {
    expect(hostMatches('127.0.0.1:4000', 4000)).toBe(true);
    expect(hostMatches('evil.example:4000', 4000)).toBe(false);
    expect(hostMatches('localhost:4000', 4000)).toBe(false);
    expect(hostMatches(undefined, 4000)).toBe(false);
  });

  it('checks a WebSocket upgrade: host, origin, path, token', () => {
    const t = newToken();
    const req = (url: string, origin?: string, host = '127.0.0.1:4000') => ({ url, headers: { host, origin } });
    expect(checkUpgrade(req(`/api?token=${t}`, 'http://127.0.0.1:4000'), 4000, t)).toEqual({ ok: true });
    expect(checkUpgrade(req(`/api?token=${t}`, 'https://evil.example'), 4000, t)).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade(req(`/api?token=${t}`), 4000, t)).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade(req(`/api?token=${t}`, 'http://127.0.0.1:4000', 'rebound.example:4000'), 4000, t)).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade(req('/api', 'http://127.0.0.1:4000'), 4000, t)).toMatchObject({ ok: false, status: 401 });
    expect(checkUpgrade(req('/api?token=nope', 'http://127.0.0.1:4000'), 4000, t)).toMatchObject({ ok: false, status: 401 });
    expect(checkUpgrade(req(`/other?token=${t}`, 'http://127.0.0.1:4000'), 4000, t)).toMatchObject({ ok: false, status: 404 });
    const refused = checkUpgrade(req('/api?token=nope', 'http://127.0.0.1:4000'), 4000, t);
    expect(JSON.stringify(refused)).not.toContain(t);
  });
});

describe('static paths', () => {
  it('stays inside the renderer folder', () => {
    expect(resolveInside('/srv/dist', '/')).toBe('/srv/dist/index.html');
    expect(resolveInside('/srv/dist', '/assets/index-abc.js')).toBe('/srv/dist/assets/index-abc.js');
    expect(resolveInside('/srv/dist', '/../secret')).toBeNull();
    expect(resolveInside('/srv/dist', '/%2e%2e/secret')).toBeNull();
    expect(resolveInside('/srv/dist', '/assets/%2e%2e/%2e%2e/package.json')).toBeNull();
    expect(resolveInside('/srv/dist', '/a%00b')).toBeNull();
    expect(resolveInside('/srv/dist', '/..%5c..%5cwin.ini')).toBeNull();
    expect(resolveInside('/srv/dist', '/%E0%A4%A')).toBeNull();
  });
});
