// Access checks of the headless host, as pure functions (unit-tested in auth.test.ts).
// The host listens on 127.0.0.1 only, but any local process or web page can reach a
// loopback port, so every request must also carry the per-start token, and the WebSocket
// must come from the host's own page (Origin) addressed by the host's own name (Host, which
// defeats DNS rebinding).
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const LOOPBACK = '127.0.0.1';

/** 32 random bytes, URL-safe base64 (43 characters). New for every start of the host. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; false for absent or malformed tokens. */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length || !/^[A-Za-z0-9_-]+$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

export function ownOrigin(port: number): string {
  return `http://${LOOPBACK}:${port}`;
}

/** The Host header must name us exactly as the printed URL does (127.0.0.1:PORT). */
export function hostMatches(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `${LOOPBACK}:${port}`;
}

/** WebSocket Origin must be our own page. Absent Origin (non-browser clients) is refused too. */
export function originMatches(origin: string | undefined, port: number): boolean {
  return origin === ownOrigin(port);
}

/** Name of the session cookie; the port is part of it because cookies ignore ports. */
export function cookieName(port: number): string {
  return `custos_token_${port}`;
}

/** The token of an HTTP request: `?token=` in the URL, else the session cookie set on the first visit. */
export function requestToken(url: URL, cookieHeader: string | undefined, port: number): { token: string | null; fromQuery: boolean } {
  const q = url.searchParams.get('token');
  if (q !== null) return { token: q, fromQuery: true };
  const name = cookieName(port);
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return { token: part.slice(eq + 1).trim(), fromQuery: false };
  }
  return { token: null, fromQuery: false };
}

export type UpgradeVerdict = { ok: true } | { ok: false; status: 401 | 403 | 404; reason: string };

/** Every check a WebSocket upgrade must pass, in order. Reasons never contain the token. */
export function checkUpgrade(req: { url?: string; headers: { host?: string; origin?: string } }, port: number, token: string): UpgradeVerdict {
  if (!hostMatches(req.headers.host, port)) return { ok: false, status: 403, reason: 'wrong Host header' };
  if (!originMatches(req.headers.origin, port)) return { ok: false, status: 403, reason: `foreign Origin ${JSON.stringify(String(req.headers.origin ?? 'none').slice(0, 80))}` };
  const url = new URL(req.url ?? '/', ownOrigin(port));
  if (url.pathname !== '/api') return { ok: false, status: 404, reason: 'unknown path' };
  if (!tokenMatches(url.searchParams.get('token'), token)) return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}
