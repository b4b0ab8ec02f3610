// `npm run serve`: the headless host. Serves renderer/dist and the API on 127.0.0.1 only.
//   --port N        listen on N (default: a free random port)
//   --dist DIR      built renderer (default: renderer/dist; build it with `npm run build:renderer`)
//   --url-file F    also write the URL (with its token) to F, mode 0600, for scripts and e2e
// The token is printed in the one "Open:" line and nowhere else.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHandlers } from '../api/handlers';
import { startHost } from './server';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function fail(message: string): never {
  console.error(`custos serve: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        dist: { type: 'string', default: resolve(repoRoot, 'renderer', 'dist') },
        'url-file': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (args.help) {
    console.log('usage: npm run serve -- [--port N] [--dist DIR] [--url-file FILE]');
    return;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got ${JSON.stringify(args.port)}`);
  const distDir = resolve(args.dist);
  if (!existsSync(resolve(distDir, 'index.html'))) fail(`${distDir}/index.html not found; run \`npm run build:renderer\` first`);

  const pkg = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as { productName?: string; name: string; version: string };
  const handlers = createHandlers({ host: 'headless', name: pkg.productName ?? pkg.name, version: pkg.version, platform: process.platform, now: Date.now });
  const host = await startHost({ port, distDir, handlers, log: (line) => console.log(`[custos] ${line}`) }).catch((err: unknown) =>
    fail(`could not listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}`),
  );

  console.log(`Custos headless host ${pkg.version}: serving ${distDir} on 127.0.0.1:${host.port} (loopback only)`);
  console.log(`Open: ${host.url}`);
  console.log('Press Ctrl+C to stop.');
  if (args['url-file']) writeFileSync(args['url-file'], `${host.url}\n`, { mode: 0o600 });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    host.broadcast('host.notice', { level: 'warning', message: 'The headless host is shutting down.' });
    setTimeout(() => void host.close().then(() => process.exit(0)), 100);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
