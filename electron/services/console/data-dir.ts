// Where the console keeps this user's replicas. The desktop host passes Electron's userData
// folder; the headless host uses --data-dir, $CUSTOS_DATA_DIR, or the XDG data folder.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['CUSTOS_DATA_DIR']) return env['CUSTOS_DATA_DIR'];
  if (process.platform === 'win32' && env['APPDATA']) return join(env['APPDATA'], 'Custos');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Custos');
  return join(env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share'), 'custos');
}

export function replicasDir(dataDir: string): string {
  return join(dataDir, 'replicas');
}

export function replicaDir(dataDir: string, id: string): string {
  return join(replicasDir(dataDir), id);
}
