// Vite config of the renderer (one React app for both hosts).
//   npm run build:renderer   → renderer/dist (served by the headless host)
// It lives at the top level, not in renderer/, because it is Node code (the renderer layer
// imports no node: modules; test/layers.ts).
//   Forge (vite.renderer.config.ts) reuses this config with Forge's output folder.
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { buildCsp, META_CSP } from './shared/api/csp';

const root = join(dirname(fileURLToPath(import.meta.url)), 'renderer');

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

/**
 * Hashes of the inline scripts the dev server adds to index.html (only @vitejs/plugin-react's
 * fast-refresh preamble). The Electron main process puts them in its dev-server CSP header
 * (vite.main.config.ts defines CUSTOS_DEV_SCRIPT_HASHES), so dev needs no 'unsafe-inline' script.
 */
export function devScriptHashes(): string[] {
  const preamble = (react as unknown as { preambleCode?: string }).preambleCode;
  if (typeof preamble !== 'string') throw new Error('@vitejs/plugin-react no longer exports preambleCode; update devScriptHashes()');
  return [sha256(preamble.replace('__BASE__', '/'))];
}

const META_RE = /<meta http-equiv="Content-Security-Policy" content="([^"]*)" \/>/;

/**
 * Keeps the CSP <meta> honest: in a build it must be exactly META_CSP (shared/api/csp.ts); on
 * the dev server it is swapped for the dev policy (hashes of Vite's inline scripts, inline
 * <style> for CSS hot reload, the HMR socket).
 */
function cspMeta(): Plugin {
  let command: 'build' | 'serve' = 'build';
  return {
    name: 'custos:csp-meta',
    configResolved(config) {
      command = config.command;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const m = META_RE.exec(html);
        if (!m) throw new Error('renderer/index.html: CSP <meta> missing');
        if (command === 'build') {
          if (m[1] !== META_CSP) throw new Error(`renderer/index.html: CSP <meta> differs from META_CSP in shared/api/csp.ts:\n  ${m[1]}\n  ${META_CSP}`);
          return html;
        }
        const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((s) => sha256(s[1] ?? ''));
        const dev = buildCsp({ meta: true, dev: { scriptHashes: inline }, connect: ['ws://localhost:*', 'ws://127.0.0.1:*'] });
        // Vite prepends its scripts to <head>; a <meta> policy only covers what follows it, so it goes first.
        return html.replace(META_RE, '').replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${dev}" />`);
      },
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome130',
    // Small assets would be inlined as data: URLs; keep files so 'self' is the only source.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { host: 'localhost' },
});
