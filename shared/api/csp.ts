// The Content-Security-Policy both hosts give the renderer. One builder, so the <meta> in
// renderer/index.html, the headless host's header and the Electron dev-server header cannot
// drift apart (csp.test.ts compares the <meta> with META_CSP).
//
// Production policy: nothing inline, nothing remote. 'self' only, images may be data: URLs
// (small generated icons), the only socket allowed is the loopback headless host.

export interface CspOptions {
  /** Extra connect-src sources (e.g. the headless host's own ws:// origin). */
  connect?: readonly string[];
  /** Delivered in a <meta>: frame-ancestors is ignored there (and browsers log an error), so it is left out. */
  meta?: boolean;
  /** Vite dev server only: hashes of Vite's own inline module scripts, and inline <style> for CSS HMR. */
  dev?: { scriptHashes: readonly string[] };
}

export function buildCsp(opts: CspOptions = {}): string {
  const script = ["'self'", ...(opts.dev?.scriptHashes ?? []).map((h) => `'${h}'`)];
  const style = opts.dev ? ["'self'", "'unsafe-inline'"] : ["'self'"];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', script],
    ['style-src', style],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...(opts.connect ?? [])]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  if (!opts.meta) directives.push(['frame-ancestors', ["'none'"]]);
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** The policy written into renderer/index.html: loopback WebSocket of the headless host only. */
export const META_CSP = buildCsp({ meta: true, connect: ['ws://127.0.0.1:*'] });
