// Locates ../shared/vectors (real CometBFT 0.38 data written by others). CUSTOS_VECTORS overrides.
// Tests that need them are skipped with a visible note when the folder is absent.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const VECTORS_DIR = resolve(process.env.CUSTOS_VECTORS ?? join(process.cwd(), '..', 'shared', 'vectors'));
export const HAVE_VECTORS = existsSync(join(VECTORS_DIR, 'cometbft-v0.38-kvstore'));

if (!HAVE_VECTORS) {
  console.warn(`[vectors] NOTE: ${VECTORS_DIR} not found; vector tests are SKIPPED. Set CUSTOS_VECTORS to run them.`);
}

export function readVector(rel: string): unknown {
  return JSON.parse(readFileSync(join(VECTORS_DIR, rel), 'utf8'));
}

export function listVectors(dir: string): string[] {
  return readdirSync(join(VECTORS_DIR, dir)).filter((f) => f.endsWith('.json')).sort();
}
