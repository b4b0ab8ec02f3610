// A minimal proto3 writer with exactly the wire rules CometBFT's hashing and signing rely on
// (protobuf encoding spec: varint, zigzag-free int64 as two's complement, fixed64, length-
// delimited). Proto3 omits default values: 0, empty bytes/strings, and absent messages.

export class ProtoWriter {
  private chunks: number[] = [];

  private varint(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      this.chunks.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.chunks.push(Number(x));
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  /** int64 / int32 / uint64 / uint32 / enum (wire type 0), omitted when zero. */
  int(field: number, v: bigint | number): this {
    const b = BigInt(v);
    if (b === 0n) return this;
    this.tag(field, 0);
    this.varint(b);
    return this;
  }

  /** bool, omitted when false. */
  bool(field: number, v: boolean): this {
    if (!v) return this;
    this.tag(field, 0);
    this.chunks.push(1);
    return this;
  }

  /** sfixed64 / fixed64 (wire type 1, little endian), omitted when zero. */
  sfixed64(field: number, v: bigint): this {
    if (v === 0n) return this;
    this.tag(field, 1);
    let x = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      this.chunks.push(Number(x & 0xffn));
      x >>= 8n;
    }
    return this;
  }

  /** bytes (wire type 2), omitted when empty. */
  bytes(field: number, v: Uint8Array): this {
    if (v.length === 0) return this;
    return this.bytesAlways(field, v);
  }

  /** A length-delimited field written even when empty (embedded messages that are present). */
  bytesAlways(field: number, v: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(v.length));
    for (const b of v) this.chunks.push(b);
    return this;
  }

  /** string (wire type 2), omitted when empty. */
  string(field: number, v: string): this {
    return this.bytes(field, new TextEncoder().encode(v));
  }

  /** An embedded message that is present (non-nullable in gogoproto): always written, even if empty. */
  message(field: number, encoded: Uint8Array): this {
    return this.bytesAlways(field, encoded);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** Unsigned varint encoding of a length (encoding/binary.PutUvarint), used for length prefixes. */
export function uvarint(n: number): Uint8Array {
  const out: number[] = [];
  let x = n;
  while (x >= 0x80) {
    out.push((x & 0x7f) | 0x80);
    x = Math.floor(x / 128);
  }
  out.push(x);
  return Uint8Array.from(out);
}
