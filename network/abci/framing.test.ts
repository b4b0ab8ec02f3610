import { describe, expect, it } from 'vitest';
import { Request } from 'cosmjs-types/tendermint/abci/types';
import { FrameDecoder, FrameError, decodeUvarint, encodeFrame, encodeUvarint } from './framing';

describe('uvarint (encoding/binary PutUvarint / ReadUvarint)', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [16383, [0xff, 0x7f]],
    [16384, [0x80, 0x80, 0x01]],
    [2 ** 31 - 1, [0xff, 0xff, 0xff, 0xff, 0x07]],
  ])('%i', (n, bytes) => {
    expect([...encodeUvarint(n)]).toEqual(bytes);
    expect(decodeUvarint(Uint8Array.from(bytes), 0)).toEqual({ value: n, size: bytes.length });
  });

  it('is unsigned, not zig-zag (0.34 used signed varints: 1 would be 0x02)', () => {
    expect([...encodeFrame(new Uint8Array([9]))]).toEqual([0x01, 0x09]);
  });

  it('asks for more bytes on a cut-off prefix', () => {
    expect(decodeUvarint(Uint8Array.from([0x80]), 0)).toBeUndefined();
  });
});

describe('FrameDecoder', () => {
  const msgs = [
    Request.encode(Request.fromPartial({ echo: { message: 'hello' } })).finish(),
    Request.encode(Request.fromPartial({ flush: {} })).finish(),
    Request.encode(Request.fromPartial({ checkTx: { tx: new Uint8Array(300).fill(7) } })).finish(),
    Request.encode(Request.fromPartial({ finalizeBlock: { txs: [new Uint8Array(70_000).fill(1)], height: 5n } })).finish(),
  ];
  const stream = Buffer.concat(msgs.map(encodeFrame));

  it('round-trips frames delivered in one chunk (merged)', () => {
    const out = new FrameDecoder().push(stream);
    expect(out.map((f) => Buffer.from(f))).toEqual(msgs.map((m) => Buffer.from(m)));
    expect(Request.decode(out[0]!).echo?.message).toBe('hello');
    expect(Request.decode(out[3]!).finalizeBlock?.height).toBe(5n);
  });

  it('round-trips frames split at every byte', () => {
    const d = new FrameDecoder();
    const out: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i += 1) out.push(...d.push(stream.subarray(i, i + 1)));
    expect(out.map((f) => Buffer.from(f))).toEqual(msgs.map((m) => Buffer.from(m)));
    expect(d.pending).toBe(0);
  });

  it('round-trips frames split at irregular boundaries', () => {
    for (const size of [2, 3, 7, 64, 1000, 4096, 65_536]) {
      const d = new FrameDecoder();
      const out: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += size) out.push(...d.push(stream.subarray(i, i + size)));
      expect(out.length).toBe(msgs.length);
      expect(Buffer.from(out[3]!)).toEqual(Buffer.from(msgs[3]!));
    }
  });

  it('handles an empty message (RequestFlush with no fields is length 2: tag + 0)', () => {
    expect(new FrameDecoder().push(Uint8Array.from([0x00]))).toEqual([new Uint8Array(0)]);
  });

  it('refuses oversized frames and overlong prefixes', () => {
    expect(() => new FrameDecoder(10).push(encodeFrame(new Uint8Array(11)))).toThrow(FrameError);
    expect(() => new FrameDecoder().push(new Uint8Array(9).fill(0xff))).toThrow(FrameError);
  });
});
