// console.json: the replicas this user has (with what the console last knew about each:
// chain, pinned genesis, heights, verification) and which one was open. Small, rewritten
// atomically on every change; the replicas themselves live in replicas/<id>/.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReplicaSummary } from '../../../shared/api';
import { writeJsonAtomic } from '../store';

export const REGISTRY_FILE = 'console.json';

export interface Registry {
  format: 'custos-console/1';
  replicas: ReplicaSummary[];
  openId: string | null;
}

export function emptyRegistry(): Registry {
  return { format: 'custos-console/1', replicas: [], openId: null };
}

export async function readRegistry(dataDir: string, log: (line: string) => void): Promise<Registry> {
  let text: string;
  try {
    text = await readFile(join(dataDir, REGISTRY_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyRegistry();
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<Registry>;
    if (v.format !== 'custos-console/1' || !Array.isArray(v.replicas)) throw new Error('not a console registry');
    return { format: 'custos-console/1', replicas: v.replicas, openId: typeof v.openId === 'string' ? v.openId : null };
  } catch (e) {
    log(`${join(dataDir, REGISTRY_FILE)} is unreadable (${(e as Error).message}); starting with an empty list of replicas`);
    return emptyRegistry();
  }
}

export async function writeRegistry(dataDir: string, r: Registry): Promise<void> {
  await writeJsonAtomic(join(dataDir, REGISTRY_FILE), r);
}

/** A new replica id from a name: lower-case slug plus a short random suffix. */
export function newReplicaId(name: string, taken: readonly string[]): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'replica';
  for (;;) {
    const id = `${slug}-${Math.random().toString(36).slice(2, 6)}`;
    if (!taken.includes(id)) return id;
  }
}
