// Durable application state for one node: the ledger snapshot after the last Commit.
//
// CometBFT's handshake (consensus/replay.go Handshaker.ReplayBlocks) asks the app for
// its last committed height and app hash via Info and replays the stored blocks above
// it, so the app only has to keep its state as of its own last Commit, written
// atomically: a crash leaves either the old file or the new one, never half of one.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

const MAGIC = new TextEncoder().encode('CUSTOSv1'); // 8 bytes
const FILE = 'ledger-state.bin';

export interface StoredState {
  height: bigint;
  appHash: Uint8Array;
  snapshot: Uint8Array;
}

export class StateStoreError extends Error {}

/**
 * File layout: MAGIC(8) | height u64 BE (8) | appHash length u8 | appHash |
 *              sha256(snapshot) (32) | snapshot
 */
export class StateStore {
  readonly path: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, FILE);
  }

  load(): StoredState | undefined {
    let raw: Buffer;
    try {
      raw = readFileSync(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const fail = (why: string): never => {
      throw new StateStoreError(`${this.path}: ${why}; refusing to start from it (move it away to resync from genesis)`);
    };
    if (raw.length < 8 + 8 + 1 + 32 || !raw.subarray(0, 8).equals(MAGIC)) fail('not a Custos ledger state file');
    const height = raw.readBigUInt64BE(8);
    const hashLen = raw[16]!;
    let at = 17;
    if (raw.length < at + hashLen + 32) fail('truncated');
    const appHash = new Uint8Array(raw.subarray(at, at + hashLen));
    at += hashLen;
    const digest = raw.subarray(at, at + 32);
    const snapshot = new Uint8Array(raw.subarray(at + 32));
    if (!createHash('sha256').update(snapshot).digest().equals(digest)) fail('checksum mismatch');
    return { height, appHash, snapshot };
  }

  /** Write temp file, fsync it, rename over the old one, fsync the directory. */
  save(state: StoredState): void {
    if (state.appHash.length > 255) throw new StateStoreError('app hash longer than 255 bytes');
    const head = Buffer.alloc(17);
    Buffer.from(MAGIC).copy(head, 0);
    head.writeBigUInt64BE(state.height, 8);
    head[16] = state.appHash.length;
    const digest = createHash('sha256').update(state.snapshot).digest();
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      for (const part of [head, state.appHash, digest, state.snapshot]) writeAll(fd, part);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dfd = openSync(this.dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}
