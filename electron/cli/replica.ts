// Reading a replica directory for the CLI: is it one, and what the sync and the verifier left
// in it (sync-status.json, forks.jsonl, the verification checkpoint).

import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GENESIS_FILE, META_FILE, StoreLockedError } from '../services/store';
import { CommandFailure, UsageError } from './errors';

/** DIR must be an existing replica directory (exit 2 otherwise). */
/** Another process's lock on the replica (store/lock.ts) as the command's failure (exit 1), naming it; anything else rethrown. */
export function lockedFailure(dir: string, e: unknown): unknown {
  return e instanceof StoreLockedError ? new CommandFailure(`${dir} is ${e.activity} by another custos process (pid ${e.pid})`) : e;
}

export async function requireReplicaDir(dir: string, command: string): Promise<void> {
  const st = await stat(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new UsageError(`${dir}: no such directory`, command);
    throw new UsageError(`${dir}: ${e.message}`, command);
  });
  if (!st.isDirectory()) throw new UsageError(`${dir} is not a directory`, command);
  const names = new Set(await readdir(dir));
  if (!names.has(META_FILE) && !names.has(GENESIS_FILE)) throw new UsageError(`${dir} is not a Custos replica (no ${META_FILE}); create one with custos sync or custos import`, command);
}

/** DIR for a new replica: absent, or an empty directory (exit 2 otherwise). */
export async function requireNewDir(dir: string, flag: string, command: string): Promise<void> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    if (e.code === 'ENOTDIR') throw new UsageError(`--${flag} ${dir} is not a directory`, command);
    throw new UsageError(`--${flag} ${dir}: ${e.message}`, command);
  });
  if (names.length > 0) throw new UsageError(`--${flag} ${dir} exists and is not empty`, command);
}

export interface ProblemLike {
  kind: string;
  message: string;
  height?: number;
  check?: string;
  expected?: string;
  found?: string;
  at?: string;
}

export interface SyncStatusFile {
  updatedAt?: string;
  chainId?: string;
  genesisSha256?: string;
  stopped?: string;
  completeHeight?: number;
  target?: number;
  forks?: number;
  endpoints?: {
    endpoint: string;
    state: string;
    reason?: ProblemLike;
    lastError?: ProblemLike;
    latencyMs: number | null;
    blocksServed: number;
    requests: number;
    failures: number;
    latestHeight: number | null;
  }[];
  lastFailure?: { message: string; kind?: string; at?: string };
}

/** What the last sync left (its status file), or undefined; a damaged file is reported as a problem. */
export async function readJsonFile<T>(path: string): Promise<{ value?: T; problem?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { problem: `cannot read ${path}: ${(e as Error).message}` };
  }
  try {
    return { value: JSON.parse(text) as T };
  } catch {
    return { problem: `${path} is not valid JSON` };
  }
}

/** Fork evidence lines in DIR/forks.jsonl (parsed; unreadable lines counted as such). */
export async function readForks(dir: string, file: string): Promise<{ evidence: unknown[]; unreadable: number }> {
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { evidence: [], unreadable: 0 };
    throw e;
  }
  const evidence: unknown[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      evidence.push(JSON.parse(line));
    } catch {
      unreadable++;
    }
  }
  return { evidence, unreadable };
}
