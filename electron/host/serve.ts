// `npm run serve`: the headless host. Serves renderer/dist and the API on 127.0.0.1 only.
//   --port N        listen on N (default: a free random port)
//   --dist DIR      built renderer (default: renderer/dist; build it with `npm run build:renderer`)
//   --url-file F    also write the URL (with its token) to F, mode 0600, for scripts and e2e
//   --data-dir D    this user's replicas (default $CUSTOS_DATA_DIR, else the XDG data folder)
//   --no-demo       do not import the embedded demo replica on first start
// The token is printed in the one "Open:" line and nowhere else.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHandlers } from '../api/handlers';
import { ConsoleService, defaultDataDir, embeddedDemo } from '../services/console';
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
        'data-dir': { type: 'string' },
        'no-demo': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (args.help) {
    console.log('usage: npm run serve -- [--port N] [--dist DIR] [--url-file FILE] [--data-dir DIR] [--no-demo]');
    return;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got ${JSON.stringify(args.port)}`);
  const distDir = resolve(args.dist);
  if (!existsSync(resolve(distDir, 'index.html'))) fail(`${distDir}/index.html not found; run \`npm run build:renderer\` first`);

  const pkg = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as { productName?: string; name: string; version: string };
  const log = (line: string) => console.log(`[custos] ${line}`);
  const dataDir = resolve(args['data-dir'] ?? defaultDataDir());
  const consoleService = await ConsoleService.start({ dataDir, demo: args['no-demo'] ? null : embeddedDemo(resolve(repoRoot, 'demo')), log }).catch((err: unknown) =>
    fail(`cannot use the data folder ${dataDir}: ${err instanceof Error ? err.message : String(err)}`),
  );
  const handlers = createHandlers({ host: 'headless', name: pkg.productName ?? pkg.name, version: pkg.version, platform: process.platform, now: Date.now, console: consoleService });
  const host = await startHost({ port, distDir, handlers, log }).catch((err: unknown) =>
    fail(`could not listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}`),
  );
  consoleService.onStatus((status) => host.broadcast('console.status', status));

  console.log(`Custos headless host ${pkg.version}: serving ${distDir} on 127.0.0.1:${host.port} (loopback only); replicas in ${dataDir}`);
  console.log(`Open: ${host.url}`);
  console.log('Press Ctrl+C to stop.');
  if (args['url-file']) writeFileSync(args['url-file'], `${host.url}\n`, { mode: 0o600 });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    host.broadcast('host.notice', { level: 'warning', message: 'The headless host is shutting down.' });
    setTimeout(() => void consoleService.close().finally(() => host.close().then(() => process.exit(0))), 100);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
