// The hand encodings against an independent protobuf encoder (cosmjs-types 0.11, ts-proto) and
// against bytes worked out from the wire format.
import { describe, expect, it } from 'vitest';
import { BinaryWriter } from 'cosmjs-types/binary';
import { Timestamp as PbTimestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { BlockID, CommitSig as PbCommitSig, PartSetHeader as PbPartSetHeader, Vote as PbVote } from 'cosmjs-types/tendermint/types/types';
import { SimpleValidator } from 'cosmjs-types/tendermint/types/validator';
import { HashedParams } from 'cosmjs-types/tendermint/types/params';
import { DuplicateVoteEvidence as PbDve } from 'cosmjs-types/tendermint/types/evidence';
import { Consensus } from 'cosmjs-types/tendermint/version/types';
import { ExecTxResult as PbExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { fromHex, toHex } from './bytes';
import {
  cdcBytes, cdcInt64, cdcString, encodeBlockId, encodeCommitSig, encodeConsensusVersion, encodeDeterministicExecTxResult,
  encodeDuplicateVoteEvidence, encodeHashedParams, encodeSimpleValidator, encodeTimestamp, encodePartSetHeader, encodeVote,
} from './encode';
import { BlockIdFlag, type BlockId, type ConsensusParams, type Timestamp, type Vote } from './types';

const hex = toHex;
const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);
const TIMES: Timestamp[] = [
  { seconds: 0n, nanos: 0 }, { seconds: 1n, nanos: 0 }, { seconds: 1684332773n, nanos: 88875124 },
  { seconds: -62135596800n, nanos: 0 }, { seconds: -1n, nanos: 999999999 }, { seconds: 253402300799n, nanos: 1 },
];
const IDS: BlockId[] = [
  { hash: new Uint8Array(0), parts: { total: 0, hash: new Uint8Array(0) } },
  { hash: bytes(32, 0xab), parts: { total: 1, hash: bytes(32, 0xcd) } },
  { hash: bytes(32, 1), parts: { total: 300, hash: new Uint8Array(0) } },
];
// google.protobuf.{String,Int64,Bytes}Value {value = 1} (cosmjs-types has no wrappers module): proto3 skips the default.
const StringValue = { encode: ({ value }: { value: string }) => (value === '' ? BinaryWriter.create() : BinaryWriter.create().uint32(10).string(value)) };
const Int64Value = { encode: ({ value }: { value: bigint }) => (value === 0n ? BinaryWriter.create() : BinaryWriter.create().uint32(8).int64(value)) };
const BytesValue = { encode: ({ value }: { value: Uint8Array }) => (value.length === 0 ? BinaryWriter.create() : BinaryWriter.create().uint32(10).bytes(value)) };
const pbTs = (t: Timestamp) => ({ seconds: t.seconds, nanos: t.nanos });
const pbId = (b: BlockId) => ({ hash: b.hash, partSetHeader: { total: b.parts.total, hash: b.parts.hash } });

describe('encode: byte-exact against cosmjs-types', () => {
  it('Timestamp', () => {
    for (const t of TIMES) expect(hex(encodeTimestamp(t))).toBe(hex(PbTimestamp.encode(pbTs(t)).finish()));
  });
  it('PartSetHeader and BlockID (part_set_header always present)', () => {
    for (const b of IDS) {
      expect(hex(encodePartSetHeader(b.parts))).toBe(hex(PbPartSetHeader.encode(pbId(b).partSetHeader).finish()));
      expect(hex(encodeBlockId(b))).toBe(hex(BlockID.encode(pbId(b)).finish()));
    }
    expect(hex(encodeBlockId(IDS[0]!))).toBe('1200');
  });
  it('Consensus version', () => {
    for (const v of [{ block: 11n, app: 1n }, { block: 11n, app: 0n }, { block: 0n, app: 0n }, { block: 1n << 63n, app: (1n << 64n) - 1n }]) {
      expect(hex(encodeConsensusVersion(v))).toBe(hex(Consensus.encode(v).finish()));
    }
  });
  it('cdcEncode wrappers; empty values encode to empty bytes', () => {
    for (const s of ['', 'dockerchain', 'ü']) expect(hex(cdcString(s))).toBe(hex(StringValue.encode({ value: s }).finish()));
    for (const n of [0n, 1n, 10n, -1n, (1n << 63n) - 1n, -(1n << 63n)]) expect(hex(cdcInt64(n))).toBe(hex(Int64Value.encode({ value: n }).finish()));
    for (const b of [new Uint8Array(0), bytes(32, 7), bytes(8, 0)]) expect(hex(cdcBytes(b))).toBe(hex(BytesValue.encode({ value: b }).finish()));
    expect(cdcString('').length + cdcInt64(0n).length + cdcBytes(new Uint8Array(0)).length).toBe(0);
  });
  it('CommitSig, including an absent one with the Go zero time', () => {
    const sigs = [
      { blockIdFlag: BlockIdFlag.Commit, validatorAddress: bytes(20, 0x2d), timestamp: TIMES[2]!, signature: bytes(64, 9) },
      { blockIdFlag: BlockIdFlag.Absent, validatorAddress: new Uint8Array(0), timestamp: TIMES[3]!, signature: new Uint8Array(0) },
      { blockIdFlag: BlockIdFlag.Nil, validatorAddress: bytes(20, 1), timestamp: TIMES[0]!, signature: bytes(64, 2) },
    ];
    for (const s of sigs) {
      expect(hex(encodeCommitSig(s))).toBe(hex(PbCommitSig.encode({ ...s, blockIdFlag: s.blockIdFlag as number, timestamp: pbTs(s.timestamp) }).finish()));
    }
    expect(hex(encodeCommitSig(sigs[2]!)).slice(0, 4)).toBe('0803');
  });
  it('SimpleValidator with the Ed25519 oneof', () => {
    for (const power of [0n, 10n, (1n << 62n)]) {
      const pk = bytes(32, 0x6c);
      expect(hex(encodeSimpleValidator({ pubKey: pk, votingPower: power }))).toBe(hex(SimpleValidator.encode({ pubKey: { ed25519: pk }, votingPower: power }).finish()));
    }
  });
  it('HashedParams', () => {
    const p = (maxBytes: bigint, maxGas: bigint): ConsensusParams => ({ block: { maxBytes, maxGas }, evidence: { maxAgeNumBlocks: 1n, maxAgeDurationNs: 1n, maxBytes: 1n }, validator: { pubKeyTypes: [] }, version: { app: 0n }, abci: { voteExtensionsEnableHeight: 0n } });
    for (const [b, g] of [[22020096n, -1n], [0n, 0n], [1n, 1000n]] as const) {
      expect(hex(encodeHashedParams(p(b, g)))).toBe(hex(HashedParams.encode({ blockMaxBytes: b, blockMaxGas: g }).finish()));
    }
  });
  it('deterministic ExecTxResult drops log, info, events and codespace', () => {
    for (const r of [{ code: 0, data: new Uint8Array(0), gasWanted: 0n, gasUsed: 0n }, { code: 7, data: bytes(3, 1), gasWanted: 100n, gasUsed: -1n }]) {
      const full = PbExecTxResult.encode({ ...r, log: '', info: '', events: [], codespace: '' }).finish();
      expect(hex(encodeDeterministicExecTxResult({ ...r }))).toBe(hex(full));
    }
    expect(encodeDeterministicExecTxResult({ code: 0, data: new Uint8Array(0), gasWanted: 0n, gasUsed: 0n }).length).toBe(0);
  });
  it('Vote and DuplicateVoteEvidence', () => {
    const vote = (id: BlockId, ext: boolean): Vote => ({
      type: 2, height: 547n, round: 0, blockId: id, timestamp: TIMES[2]!, validatorAddress: bytes(20, 0xc8), validatorIndex: 2,
      signature: bytes(64, 3), extension: ext ? bytes(5, 1) : new Uint8Array(0), extensionSignature: ext ? bytes(64, 4) : new Uint8Array(0),
    });
    const pbVote = (v: Vote) => ({ ...v, blockId: pbId(v.blockId), timestamp: pbTs(v.timestamp) });
    for (const v of [vote(IDS[0]!, false), vote(IDS[1]!, true), { ...vote(IDS[2]!, false), round: -1, validatorIndex: -1 }]) {
      expect(hex(encodeVote(v))).toBe(hex(PbVote.encode(pbVote(v)).finish()));
    }
    const ev = { kind: 'duplicate_vote' as const, voteA: vote(IDS[0]!, false), voteB: vote(IDS[1]!, false), totalVotingPower: 1509n, validatorPower: 99n, timestamp: TIMES[1]! };
    expect(hex(encodeDuplicateVoteEvidence(ev))).toBe(hex(PbDve.encode({ voteA: pbVote(ev.voteA), voteB: pbVote(ev.voteB), totalVotingPower: 1509n, validatorPower: 99n, timestamp: pbTs(ev.timestamp) }).finish()));
  });
  it('hand-checked bytes: Timestamp of the Go zero time, negative int64', () => {
    // seconds = -62135596800 → 10-byte two's-complement varint; nanos 0 omitted.
    expect(hex(encodeTimestamp({ seconds: -62135596800n, nanos: 0 }))).toBe('088092B8C398FEFFFFFF01');
    expect(hex(cdcInt64(-1n))).toBe('08FFFFFFFFFFFFFFFFFF01');
    expect(fromHex(hex(cdcString('a')))).toEqual(Uint8Array.of(0x0a, 0x01, 0x61));
  });
});
