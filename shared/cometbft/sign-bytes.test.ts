import { describe, expect, it } from 'vitest';
import { commitSigSignBytes, voteSignBytes, SignedMsgType } from './sign-bytes';
import { portableEd25519 } from './ed25519';
import { fromBase64, fromHex, toHex } from './bytes';
import { BlockIdFlag, type Commit, type Timestamp } from './types';

function ts(iso: string): Timestamp {
  const m = /^(.*?)(?:\.(\d{1,9}))?Z$/.exec(iso)!;
  return { seconds: BigInt(Date.parse(`${m[1]}Z`) / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

// The kvstore commit at height 10 (chain dockerchain), transcribed by hand so that this test
// does not depend on the decoder; the vector-driven test lives in commit.test.ts.
const commit10: Commit = {
  height: 10n,
  round: 0,
  blockId: {
    hash: fromHex('00ECDAC463C201ECD4BDBBAAE4A53A4C80291D4051FD69ED97F6420CE1388BFE'),
    parts: { total: 1, hash: fromHex('FF0A320E696FD233DD4D3CC7CD82FF90F54B8FDBC9C700D9375C95A02782B062') },
  },
  signatures: [{
    blockIdFlag: BlockIdFlag.Commit,
    validatorAddress: fromHex('2DD9F44FD9067555C322243C3C913BA7B51D2BE0'),
    timestamp: ts('2023-05-17T14:12:53.605374524Z'),
    signature: fromBase64('5y0Kas3bSrgVYG/QKwWovMpTBfavZfy/A8DXkQHzFHVMjOcVk2TK6xhYQasfiodordg1bjDf7NDwNi/YdilaAw=='),
  }],
};
const genesisKey = fromBase64('bNNlGls5R25wC3Sd8720F/3+7IZBhXcD22MNFtPk/v0=');

describe('vote sign bytes (types/vote.go VoteSignBytes)', () => {
  it('the kvstore height-10 precommit begins 70 08 02 11 0a 00 and verifies under the genesis key', () => {
    const sb = commitSigSignBytes('dockerchain', commit10, 0);
    expect(toHex(sb.subarray(0, 6))).toBe('700802110A00');
    expect(sb.length).toBe(0x70 + 1);
    expect(portableEd25519.verify(commit10.signatures[0]!.signature, sb, genesisKey)).toBe(true);
    expect(portableEd25519.verify(commit10.signatures[0]!.signature, commitSigSignBytes('otherchain', commit10, 0), genesisKey)).toBe(false);
  });

  it('lays out the CanonicalVote fields: type, sfixed64 height/round, block id, timestamp, chain id', () => {
    const sb = commitSigSignBytes('dockerchain', commit10, 0);
    const body = sb.subarray(1);
    // 08 02 | 11 <8 bytes height> | (round 0 omitted) | 22 48 0a 20 <hash> 12 24 08 01 12 20 <parts hash> | 2a .. | 32 0b "dockerchain"
    expect(toHex(body.subarray(0, 11))).toBe('0802110A00000000000000');
    expect(toHex(body.subarray(11, 15))).toBe('22480A20');
    expect(toHex(body.subarray(47, 53))).toBe('122408011220');
    expect(body[85]).toBe(0x2a);
    expect(new TextDecoder().decode(body.subarray(body.length - 11))).toBe('dockerchain');
    expect(body[body.length - 13]).toBe(0x32);
  });

  it('omits block_id for nil votes and keeps the timestamp even at the epoch', () => {
    const nil = commitSigSignBytes('c', { ...commit10, signatures: [{ ...commit10.signatures[0]!, blockIdFlag: BlockIdFlag.Nil }] }, 0);
    expect(toHex(nil)).toMatch(/^..0802110A000000000000002A/);
    const epoch = voteSignBytes('c', { type: SignedMsgType.Precommit, height: 1n, round: 1, blockId: null, timestamp: { seconds: 0n, nanos: 0 } });
    // 08 02 | 11 01.. | 19 01.. | 2a 00 | 32 01 63
    expect(toHex(epoch)).toBe('19' + '0802' + '110100000000000000' + '190100000000000000' + '2A00' + '320163');
  });

  it('throws on an unknown flag, like Go panics', () => {
    expect(() => commitSigSignBytes('c', { ...commit10, signatures: [{ ...commit10.signatures[0]!, blockIdFlag: 7 as BlockIdFlag }] }, 0)).toThrow(/unknown BlockIDFlag/);
  });
});
