// The incremental-verification checkpoint: the verified height, the verifier state at that
// height, the ledger state at the same point, and the failures found so far, in one file written
// atomically (temp file, fsync, rename, fsync of the directory) and sealed with a SHA-256 so a
// torn or altered file is never resumed from. The ledger state is the state log beside it, named
// by its mark (header.stateLog: file, length, SHA-256; state-log.ts), or else a machine snapshot
// (tens of MB on a large ledger), written and hashed as it is, never copied into one buffer.
//
//   "custos-verify-checkpoint/1\n" | u32 BE header length | header JSON (UTF-8) | machine snapshot (empty with a state log) | SHA-256 of all before
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../store';
import type { FailureRecord } from './report';
import type { LogMark } from './state-log';

export const CHECKPOINT_FORMAT = 'custos-verify-checkpoint/1';
const MAGIC = Buffer.from(`${CHECKPOINT_FORMAT}\n`, 'utf8');
export const CHECKPOINT_FILE = 'verify-checkpoint.bin';

export interface CheckpointHeader {
  format: typeof CHECKPOINT_FORMAT;
  toolVersion: string;
  chainId: string;
  genesisSha256: string;
  /** The last verified height; the state is the one for height + 1. */
  height: number;
  /** Hex hash of the block at `height` that the state continues from (checked against the replica on resume). */
  lastBlockIdHash: string;
  createdAt: string;
  /** shared/verify encodeTagged(VerifierState). */
  state: string;
  firstFailure: FailureRecord | null;
  failures: FailureRecord[];
  failuresTotal: number;
  /** The state log holding the ledger state at `height` (then the snapshot is empty). */
  stateLog?: LogMark;
}

export interface Checkpoint {
  header: CheckpointHeader;
  snapshot: Uint8Array;
}

/** A checkpoint to write: the snapshot may come in parts (written one after another). */
export interface CheckpointToWrite {
  header: CheckpointHeader;
  snapshot: Uint8Array | readonly Uint8Array[];
}

/** The file's parts in order: magic, header length, header, snapshot, SHA-256 of the parts before it. */
function checkpointParts(c: CheckpointToWrite): Uint8Array[] {
  const header = Buffer.from(JSON.stringify(c.header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(header.length);
  const parts: Uint8Array[] = [MAGIC, len, header, ...(c.snapshot instanceof Uint8Array ? [c.snapshot] : c.snapshot)];
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return [...parts, h.digest()];
}


/** The checkpoint, or why it cannot be used; null when there is none. */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint | { problem: string } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < MAGIC.length + 4 + 32 || !b.subarray(0, MAGIC.length).equals(MAGIC)) return { problem: 'not a checkpoint file of this format' };
  const body = b.subarray(0, b.length - 32);
  if (!createHash('sha256').update(body).digest().equals(b.subarray(b.length - 32))) return { problem: 'checksum mismatch (torn or altered file)' };
  const len = b.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + len > body.length) return { problem: 'header length out of range' };
  let header: CheckpointHeader;
  try {
    header = JSON.parse(body.subarray(start, start + len).toString('utf8')) as CheckpointHeader;
  } catch (e) {
    return { problem: `header is not JSON (${(e as Error).message})` };
  }
  if (header.format !== CHECKPOINT_FORMAT) return { problem: `format ${JSON.stringify(header.format)}` };
  return { header, snapshot: new Uint8Array(body.subarray(start + len)) };
}

export async function readCheckpoint(path: string): Promise<Checkpoint | { problem: string } | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { problem: `cannot read ${path}: ${(e as Error).message}` };
  }
  return decodeCheckpoint(bytes);
}

/** Writes the checkpoint atomically (store/atomic.ts writeFileAtomic), part by part. */
export async function writeCheckpoint(path: string, c: CheckpointToWrite): Promise<void> {
  await writeFileAtomic(path, checkpointParts(c));
}
