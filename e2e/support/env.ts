// What global-setup.ts hands the specs.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface LiveEnv {
  rpc: string[];
  chainId: string;
  genesisSha256: string;
  byzantine: { url: string; height: number; check: string };
  slow: string[];
}

export const SHOTS = fileURLToPath(new URL('../artifacts/screens/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

export function hostUrl(): string {
  const url = process.env.CUSTOS_URL;
  if (!url) throw new Error('CUSTOS_URL not set: run through e2e/playwright.config.ts (its globalSetup starts the host)');
  return url;
}

/** The live devnet, or the reason it is not there. */
export function liveEnv(): { env: LiveEnv | null; skip: string | null } {
  if (process.env.CUSTOS_E2E_LIVE) return { env: JSON.parse(process.env.CUSTOS_E2E_LIVE) as LiveEnv, skip: null };
  return { env: null, skip: process.env.CUSTOS_E2E_LIVE_SKIP ?? 'no live devnet' };
}

export function exportDir(): string {
  const d = process.env.CUSTOS_E2E_OUT;
  if (!d) throw new Error('CUSTOS_E2E_OUT not set');
  return d;
}
