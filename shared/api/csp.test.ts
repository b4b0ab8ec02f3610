import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCsp, META_CSP } from './csp';

describe('CSP', () => {
  it('renderer/index.html carries exactly META_CSP', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(META_CSP);
  });

  it('production policy: nothing inline, nothing remote', () => {
    const csp = buildCsp({ connect: ['ws://127.0.0.1:4000'] });
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self' ws://127.0.0.1:4000; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(csp).not.toContain('unsafe');
  });

  it('meta policy leaves out frame-ancestors (ignored in <meta>, and logged as an error)', () => {
    expect(META_CSP).not.toContain('frame-ancestors');
    expect(META_CSP).toContain("connect-src 'self' ws://127.0.0.1:*");
  });

  it('dev policy allows hashed scripts only, and inline styles for CSS hot reload', () => {
    const csp = buildCsp({ dev: { scriptHashes: ['sha256-abc='] } });
    expect(csp).toContain("script-src 'self' 'sha256-abc=';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
  });
});
