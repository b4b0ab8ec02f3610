// Locates (building once if needed) the pinned CometBFT binary via network/scripts/cometbft.sh.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths';

export const COMETBFT_VERSION = 'v0.38.26';

export class GoMissingError extends Error {}

/** Runs the build script (up to 20 min on a cold cache) and returns the binary's path. */
export function ensureCometbft(opts: { onProgress?: (line: string) => void; timeoutMs?: number } = {}): Promise<string> {
  const script = join(PROJECT_ROOT, 'network', 'scripts', 'cometbft.sh');
  return new Promise((resolve, reject) => {
    const child = execFile(
      'bash',
      [script],
      { cwd: PROJECT_ROOT, timeout: opts.timeoutMs ?? 20 * 60_000, env: { ...process.env, COMETBFT_VERSION }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as { code?: number }).code;
          if (code === 127) return reject(new GoMissingError(stderr.trim() || 'Go is not installed'));
          return reject(new Error(`building CometBFT ${COMETBFT_VERSION} failed (${err.message.split('\n')[0]}):\n${stderr.trim().split('\n').slice(-20).join('\n')}`));
        }
        const path = stdout.trim().split('\n').pop();
        if (!path) return reject(new Error('cometbft.sh printed no binary path'));
        resolve(path);
      },
    );
    child.stderr?.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.trim()) opts.onProgress?.(line);
    });
  });
}
