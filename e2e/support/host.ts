// The headless host for the e2e suite: `npm run serve` on a free port with its own data
// folder; its URL (with the token) comes back through a 0600 file, never through the log.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Host {
  url: string;
  logFile: string;
  /** Stops the host; returns everything it printed. */
  stop(): Promise<string>;
}

async function waitFor(file: string, child: ChildProcess, ms: number): Promise<string> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`headless host exited early with code ${child.exitCode}`);
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8').trim();
      if (text) return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`headless host did not write ${file} within ${ms} ms`);
}

export async function startHost(root: string, dir: string, dataDir: string): Promise<Host> {
  const urlFile = join(dir, 'url');
  const child = spawn(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'electron/host/serve.ts'), '--port', '0', '--url-file', urlFile, '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out: string[] = [];
  const logFile = join(dir, 'host.log');
  writeFileSync(logFile, '', { mode: 0o600 });
  child.stdout?.on('data', (d: Buffer) => {
    out.push(d.toString());
    appendFileSync(logFile, d);
  });
  const url = await waitFor(urlFile, child, 30_000);
  return {
    url,
    logFile,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      return out.join('');
    },
  };
}
