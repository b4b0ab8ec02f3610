// Mutation tests: start from a header that verifies and change one thing at a time; every change
// must be caught, by the check that names it. Two sources: a real multi-validator light-client
// vector (tampering without the signing keys: the commit no longer matches), and a chain built
// here with known keys (the change is re-hashed and re-signed, so only the semantic rule is left
// to catch it).
import { describe, expect, it } from 'vitest';
import { HAVE_VECTORS, readVector } from '../../test/vectors';
import { clone, resign, signedHeader, testValidatorSet, ts } from '../../test/cometbft-chain';
import { decodeSignedHeader, decodeTimestamp, decodeValidatorSet } from './decode';
import { headerHash } from './hash';
import { blockIdEquals, verifyCommit } from './commit';
import { classifyLightVerdict, verify, verifyLinked, type LightOptions, type TrustedState } from './header-checks';
import { portableEd25519 } from './ed25519';
import { toHex } from './bytes';
import { BlockIdFlag, type Header, type SignedHeader, type ValidatorSet } from './types';
import type { CheckName, Failure, Verdict } from './verdict';

const V = portableEd25519;

function caught(v: Verdict, check: CheckName): Failure {
  expect(v.ok, 'the mutation was not caught').toBe(false);
  const f = v as Failure;
  expect(f.check).toBe(check);
  expect(f.expected.length).toBeGreaterThan(0);
  expect(f.found.length).toBeGreaterThan(0);
  expect(f.found).not.toBe(f.expected);
  return f;
}

const flip = (b: Uint8Array, i = 0): Uint8Array => { const c = b.slice(); c[i] = c[i]! ^ 1; return c; };
const h32 = (x: number): Uint8Array => new Uint8Array(32).fill(x);

// Each of the 14 header fields (types/block.go Header), changed in place.
const HEADER_FIELDS: [string, (h: Header) => void][] = [
  ['version', (h) => { h.version.app += 1n; }],
  ['chain_id', (h) => { h.chainId = 'other-chain'; }],
  ['height', (h) => { h.height += 1n; }],
  ['time', (h) => { h.time = { ...h.time, nanos: h.time.nanos + 1 }; }],
  ['last_block_id', (h) => { h.lastBlockId = { hash: h32(7), parts: { total: 1, hash: h32(8) } }; }],
  ['last_commit_hash', (h) => { h.lastCommitHash = h32(1); }],
  ['data_hash', (h) => { h.dataHash = h32(2); }],
  ['validators_hash', (h) => { h.validatorsHash = h32(3); }],
  ['next_validators_hash', (h) => { h.nextValidatorsHash = h32(4); }],
  ['consensus_hash', (h) => { h.consensusHash = flip(h.consensusHash); }],
  ['app_hash', (h) => { h.appHash = Uint8Array.of(1, 2, 3); }],
  ['last_results_hash', (h) => { h.lastResultsHash = h32(5); }],
  ['evidence_hash', (h) => { h.evidenceHash = h32(6); }],
  ['proposer_address', (h) => { h.proposerAddress = flip(h.proposerAddress); }],
];

describe.skipIf(!HAVE_VECTORS)('mutations of a 7-validator light-client vector (MC10_3_faulty_TestSuccess, height 2)', () => {
  interface Block { signed_header: unknown; validator_set: unknown }
  interface Case { initial: { signed_header: unknown; next_validator_set: unknown; trusting_period: string }; input: { block: Block; now: string }[] }
  const tc = (HAVE_VECTORS ? readVector('light-client-single-step/MC10_3_faulty_TestSuccess.json') : null) as Case;
  const trusted = (): TrustedState => ({ signedHeader: decodeSignedHeader(tc.initial.signed_header), nextValidators: decodeValidatorSet(tc.initial.next_validator_set) });
  const step = tc?.input[1] as Case['input'][number];
  const base = (): { sh: SignedHeader; vals: ValidatorSet } => ({ sh: decodeSignedHeader(step.block.signed_header), vals: decodeValidatorSet(step.block.validator_set) });
  const opts = (): LightOptions => ({ trustingPeriodNs: BigInt(tc.initial.trusting_period), now: decodeTimestamp(step.now), maxClockDriftNs: 0n });
  const run = (sh: SignedHeader, vals: ValidatorSet, t = trusted(), o = opts()) => verify(t, sh, vals, o, V);

  it('the unmutated step verifies (adjacent, 5 of 7 signed)', () => {
    const { sh, vals } = base();
    expect(sh.header.height).toBe(trusted().signedHeader.header.height + 1n);
    expect(vals.validators).toHaveLength(7);
    expect(run(sh, vals)).toEqual({ ok: true });
  });

  // Without the keys, changing a field breaks the header/commit binding. chain_id and height are
  // caught before hashing (SignedHeader.ValidateBasic order), everything else by the hash.
  const expectedCheck: Record<string, CheckName> = { chain_id: 'header.chain_id', height: 'commit.height' };
  for (const [name, mutate] of HEADER_FIELDS) {
    it(`header.${name} changed → ${expectedCheck[name] ?? 'header.hash'}`, () => {
      const { sh, vals } = base();
      const before = headerHash(sh.header);
      mutate(sh.header);
      expect(toHex(headerHash(sh.header))).not.toBe(toHex(before));
      const f = caught(run(sh, vals), expectedCheck[name] ?? 'header.hash');
      expect(classifyLightVerdict(f)).toBe('INVALID');
      if (f.check === 'header.hash') expect(f.found).toBe(toHex(headerHash(sh.header)));
    });
  }

  it('header.version.block changed → header.version', () => {
    const { sh, vals } = base();
    sh.header.version.block = 10n;
    expect(caught(run(sh, vals), 'header.version')).toMatchObject({ expected: 'block protocol 11', found: '10' });
  });

  it('one signature byte → commit.signature naming the validator', () => {
    const { sh, vals } = base();
    sh.commit.signatures[2]!.signature = flip(sh.commit.signatures[2]!.signature, 40);
    const f = caught(run(sh, vals), 'commit.signature');
    expect(f.expected).toContain(`validator #2 ${toHex(sh.commit.signatures[2]!.validatorAddress)}`);
  });

  it('one voting power → header.validators_hash', () => {
    const { sh, vals } = base();
    vals.validators[3]!.votingPower += 1n;
    const f = caught(run(sh, vals), 'header.validators_hash');
    expect(f.expected).toBe(toHex(sh.header.validatorsHash));
  });

  it('validator order: the set is canonicalised (still verifies); swapping two commit signatures → commit.validator_address', () => {
    const { sh, vals } = base();
    expect(run(sh, { validators: [...vals.validators].reverse() })).toEqual({ ok: true });
    const s = sh.commit.signatures;
    [s[0], s[2]] = [s[2]!, s[0]!];
    caught(run(sh, vals), 'commit.validator_address');
  });

  it('chain id: another trusted chain → header.chain_id; verifying the commit for another chain → commit.signature', () => {
    const { sh, vals } = base();
    const t = trusted();
    t.signedHeader.header.chainId = 'custos-main';
    expect(caught(run(sh, vals, t), 'header.chain_id')).toMatchObject({ expected: '"custos-main"', found: '"test-chain"' });
    caught(verifyCommit('custos-main', vals, sh.commit.blockId, sh.header.height, sh.commit, V), 'commit.signature');
  });

  it('a commit timestamp → commit.signature', () => {
    const { sh, vals } = base();
    const sig = sh.commit.signatures[0]!;
    sig.timestamp = { ...sig.timestamp, nanos: sig.timestamp.nanos + 1 };
    expect(caught(run(sh, vals), 'commit.signature').detail).toContain('signature #0');
  });

  it('signatures dropped below 2/3 → commit.voting_power (200 of 350, needs > 233)', () => {
    const { sh, vals } = base();
    const i = sh.commit.signatures.findIndex((s) => s.blockIdFlag === BlockIdFlag.Commit);
    sh.commit.signatures[i] = { blockIdFlag: BlockIdFlag.Absent, validatorAddress: new Uint8Array(0), timestamp: { seconds: 0n, nanos: 0 }, signature: new Uint8Array(0) };
    expect(caught(run(sh, vals), 'commit.voting_power')).toMatchObject({ expected: 'voting power > 233 of 350 (2/3)', found: '200' });
  });

  it('a Commit vote turned into a Nil vote → commit.voting_power (Nil is not counted)', () => {
    const { sh, vals } = base();
    sh.commit.signatures[0]!.blockIdFlag = BlockIdFlag.Nil;
    caught(run(sh, vals), 'commit.voting_power');
  });

  it('commit round, height, part set header, block hash, signer address', () => {
    let { sh, vals } = base();
    sh.commit.round += 1;
    caught(run(sh, vals), 'commit.signature');
    ({ sh, vals } = base());
    sh.commit.height += 1n;
    caught(run(sh, vals), 'commit.height');
    ({ sh, vals } = base());
    sh.commit.blockId.parts.total += 1;
    caught(run(sh, vals), 'commit.signature');
    ({ sh, vals } = base());
    sh.commit.blockId.hash = flip(sh.commit.blockId.hash);
    caught(run(sh, vals), 'header.hash');
    ({ sh, vals } = base());
    sh.commit.signatures[1]!.blockIdFlag = BlockIdFlag.Commit;
    caught(run(sh, vals), 'commit.basic'); // an Absent signature turned Commit has no address
    ({ sh, vals } = base());
    sh.commit.signatures[0]!.validatorAddress = flip(sh.commit.signatures[0]!.validatorAddress);
    caught(run(sh, vals), 'commit.validator_address');
    ({ sh, vals } = base());
    sh.commit.signatures.pop();
    caught(run(sh, vals), 'commit.size');
  });

  it('a validator swapped for another key → header.validators_hash; trusted next set tampered (non-adjacent) → header.next_validators_hash', () => {
    const { sh, vals } = base();
    vals.validators[0]!.pubKey = flip(vals.validators[0]!.pubKey);
    caught(run(sh, vals), 'header.validators_hash');
    const t = trusted();
    t.nextValidators.validators[0]!.votingPower += 1n;
    const step0 = tc.input[0]!; // height 3, non-adjacent
    const far = decodeSignedHeader(step0.block.signed_header);
    caught(verify(t, far, decodeValidatorSet(step0.block.validator_set), { ...opts(), now: decodeTimestamp(step0.now) }, V), 'header.next_validators_hash');
  });

  it('time: past the trusting period → light.trusting_period; now before the header → light.header_from_future', () => {
    const { sh, vals } = base();
    const t = trusted().signedHeader.header.time;
    const expiry = { seconds: t.seconds + BigInt(tc.initial.trusting_period) / 1_000_000_000n, nanos: t.nanos };
    caught(run(sh, vals, trusted(), { ...opts(), now: expiry }), 'light.trusting_period');
    caught(run(sh, vals, trusted(), { ...opts(), now: sh.header.time }), 'light.header_from_future');
  });
});

describe('mutations that a signing majority re-signed (test chain with known keys)', () => {
  const { vals, keys } = testValidatorSet([40n, 30n, 20n, 10n]);
  const next = testValidatorSet([25n, 25n, 25n, 25n], 'n');
  const CHAIN = 'custos-test';
  const h1 = signedHeader({ chainId: CHAIN, height: 1n, time: ts(1000), vals, nextVals: vals }, keys);
  const b1 = h1.commit.blockId;
  const make = () => signedHeader({ chainId: CHAIN, height: 2n, time: ts(1010), vals, nextVals: next.vals, lastBlockId: b1 }, keys);
  const trusted: TrustedState = { signedHeader: h1, nextValidators: vals };
  const opts: LightOptions = { trustingPeriodNs: 3600n * 1_000_000_000n, now: ts(1100), maxClockDriftNs: 10n * 1_000_000_000n };
  const check = (sh: SignedHeader) => verify(trusted, sh, vals, opts, V);
  const link = (sh: SignedHeader) => verifyLinked({ header: h1.header, blockId: b1 }, sh.header);
  const edit = (f: (h: Header) => void): SignedHeader => { const sh = clone(make()); f(sh.header); return resign(sh, keys); };

  it('the unmutated block verifies and links', () => {
    expect(check(make())).toEqual({ ok: true });
    expect(link(make())).toEqual({ ok: true });
    expect(blockIdEquals(make().header.lastBlockId, b1)).toBe(true);
  });

  it('re-signed on another chain → header.chain_id', () => {
    const sh = edit((h) => { h.chainId = 'evil-chain'; });
    expect(resign(sh, keys, 'evil-chain').commit.signatures[0]!.signature).toBeDefined();
    caught(check(resign(sh, keys, 'evil-chain')), 'header.chain_id');
    caught(link(sh), 'header.chain_id');
  });

  it('re-signed with a time not after the trusted block → header.time; far ahead → light.header_from_future', () => {
    caught(check(edit((h) => { h.time = ts(1000); })), 'header.time');
    caught(link(edit((h) => { h.time = ts(999); })), 'header.time');
    caught(check(edit((h) => { h.time = ts(1110); })), 'light.header_from_future');
    expect(check(edit((h) => { h.time = { seconds: 1109n, nanos: 999_999_999 }; }))).toEqual({ ok: true });
  });

  it('re-signed with a wrong validators_hash → header.validators_hash (light and linked)', () => {
    const sh = edit((h) => { h.validatorsHash = h32(9); });
    caught(check(sh), 'header.validators_hash');
    caught(link(sh), 'header.validators_hash');
  });

  it('a re-signed next_validators_hash handing over to another set → caught at the next block', () => {
    const sh = edit((h) => { h.nextValidatorsHash = h32(9); });
    expect(check(sh)).toEqual({ ok: true }); // the header itself is what a majority signed
    const b2 = sh.commit.blockId;
    const h3 = signedHeader({ chainId: CHAIN, height: 3n, time: ts(1020), vals: next.vals, nextVals: next.vals, lastBlockId: b2 }, next.keys);
    caught(verify({ signedHeader: sh, nextValidators: next.vals }, h3, next.vals, opts, V), 'header.validators_hash');
    caught(verifyLinked({ header: sh.header, blockId: b2 }, h3.header), 'header.validators_hash');
  });

  it('re-signed last_block_id / height → verifyLinked names it', () => {
    caught(link(edit((h) => { h.lastBlockId = { hash: h32(1), parts: { total: 1, hash: h32(2) } }; })), 'header.last_block_id');
    const tall = clone(make());
    tall.header.height = 3n;
    tall.commit.height = 3n;
    caught(link(resign(tall, keys)), 'header.height');
  });

  it('re-signed version.block / proposer address length → header.version / header.proposer_address', () => {
    caught(check(edit((h) => { h.version.block = 12n; })), 'header.version');
    caught(check(edit((h) => { h.proposerAddress = h.proposerAddress.slice(0, 19); })), 'header.proposer_address');
  });

  it('non-adjacent with under 1/3 of the trusted set signing → light.not_enough_trust (NOT_ENOUGH_TRUST)', () => {
    // height 3 signed only by the new set: the trusted set (vals) has no signer in it
    const h3 = signedHeader({ chainId: CHAIN, height: 3n, time: ts(1020), vals: next.vals, nextVals: next.vals }, next.keys);
    const f = caught(verify(trusted, h3, next.vals, opts, V), 'light.not_enough_trust');
    expect(f).toMatchObject({ expected: 'trusted voting power > 33 of 100 (1/3)', found: '0' });
    expect(classifyLightVerdict(f)).toBe('NOT_ENOUGH_TRUST');
  });
});
