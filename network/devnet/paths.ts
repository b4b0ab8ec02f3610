// Where the devnet lives on disk.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** $CUSTOS_DEVNET_HOME, else network/.devnet in the project (git-ignored). */
export function defaultDevnetHome(): string {
  return resolve(process.env.CUSTOS_DEVNET_HOME || resolve(PROJECT_ROOT, 'network', '.devnet'));
}

export const ABCI_MAIN = resolve(PROJECT_ROOT, 'network', 'abci', 'main.ts');
