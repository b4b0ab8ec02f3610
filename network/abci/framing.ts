// CometBFT's ABCI socket framing: every Request and Response is a protobuf message
// preceded by its length as an *unsigned* protobuf varint.
//   abci/types/messages.go WriteMessage / ReadMessage
//   libs/protoio/writer.go varintWriter.WriteMsg (binary.PutUvarint)
//   libs/protoio/reader.go varintReader.ReadMsg (binary.ReadUvarint, maxSize check)
// (Tendermint <= 0.34 used a signed zig-zag varint; 0.38 does not.)

/** abci/types/messages.go maxMsgSize = math.MaxInt32. We refuse far smaller frames. */
export const DEFAULT_MAX_FRAME = 64 * 1024 * 1024;

export class FrameError extends Error {}

/** Encodes n as an unsigned LEB128 varint (encoding/binary PutUvarint). */
export function encodeUvarint(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new FrameError(`varint out of range: ${n}`);
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}

/**
 * Decodes an unsigned varint at buf[offset]. Returns undefined when the buffer ends
 * before the varint does (more bytes needed). encoding/binary ReadUvarint: at most
 * 10 bytes; we stop at 8 (2^56 > any frame we accept).
 */
export function decodeUvarint(buf: Uint8Array, offset: number): { value: number; size: number } | undefined {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 8; i++) {
    const at = offset + i;
    if (at >= buf.length) return undefined;
    const b = buf[at]!;
    value += (b & 0x7f) * mul;
    if (b < 0x80) return { value, size: i + 1 };
    mul *= 0x80;
  }
  throw new FrameError('varint length prefix longer than 8 bytes');
}

/** One frame: uvarint(len(msg)) || msg. */
export function encodeFrame(msg: Uint8Array): Uint8Array {
  const prefix = encodeUvarint(msg.length);
  const out = new Uint8Array(prefix.length + msg.length);
  out.set(prefix, 0);
  out.set(msg, prefix.length);
  return out;
}

/**
 * Reassembles frames from a TCP byte stream: chunks may split a frame anywhere
 * (inside the prefix too) or carry several frames at once.
 */
export class FrameDecoder {
  private buf: Uint8Array = new Uint8Array(0);
  /** Chunks received while a large frame is still incomplete (joined once, not per chunk). */
  private parked: Uint8Array[] = [];
  private parkedBytes = 0;
  /** Total bytes the frame at the head of buf needs, once its prefix is known. */
  private need = 0;

  constructor(private readonly maxFrame = DEFAULT_MAX_FRAME) {}

  /** Appends a chunk and returns every frame body now complete, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.need > 0 && this.buf.length + this.parkedBytes + chunk.length < this.need) {
      this.parked.push(chunk);
      this.parkedBytes += chunk.length;
      return [];
    }
    this.buf = concat([this.buf, ...this.parked, chunk]);
    this.parked = [];
    this.parkedBytes = 0;
    this.need = 0;
    const frames: Uint8Array[] = [];
    let pos = 0;
    for (;;) {
      const len = decodeUvarint(this.buf, pos);
      if (!len) break;
      // libs/protoio/reader.go varintReader.ReadMsg: "message exceeds max size"
      if (len.value > this.maxFrame) throw new FrameError(`message exceeds max size (${len.value} > ${this.maxFrame})`);
      const start = pos + len.size;
      const end = start + len.value;
      if (end > this.buf.length) {
        this.need = end - pos;
        break;
      }
      frames.push(this.buf.subarray(start, end));
      pos = end;
    }
    if (pos > 0) this.buf = this.buf.slice(pos);
    return frames;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length + this.parkedBytes;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const nonEmpty = parts.filter((p) => p.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const out = new Uint8Array(nonEmpty.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of nonEmpty) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
