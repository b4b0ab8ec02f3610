// profile.json: the network profile of a replica (chain id, RPC endpoints, pinned genesis hash).

import { join } from 'node:path';
import { readJsonChecked, writeJsonAtomic } from './atomic';
import { StoreError } from './errors';

export const PROFILE_FILE = 'profile.json';

export interface NetworkProfile {
  chainId: string;
  endpoints: string[];
  /** SHA-256 (hex) of the genesis document the user pinned. */
  genesisSha256: string;
}

export function profileProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'not an object';
  const p = v as Record<string, unknown>;
  if (typeof p.chainId !== 'string' || p.chainId.length === 0 || p.chainId.length > 256) return 'chainId is not a non-empty string';
  if (!Array.isArray(p.endpoints) || !p.endpoints.every((e) => typeof e === 'string')) return 'endpoints is not a list of strings';
  if (typeof p.genesisSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(p.genesisSha256)) return 'genesisSha256 is not a hex SHA-256';
  return undefined;
}

export async function readProfile(dir: string): Promise<NetworkProfile | undefined> {
  const p = (await readJsonChecked(join(dir, PROFILE_FILE), profileProblem)) as NetworkProfile | undefined;
  return p && { chainId: p.chainId, endpoints: [...p.endpoints], genesisSha256: p.genesisSha256 };
}

export async function writeProfile(dir: string, profile: NetworkProfile): Promise<void> {
  const problem = profileProblem(profile);
  if (problem) throw new StoreError(`profile: ${problem}`);
  await writeJsonAtomic(join(dir, PROFILE_FILE), { chainId: profile.chainId, endpoints: profile.endpoints, genesisSha256: profile.genesisSha256 });
}
