import { describe, expect, it } from 'vitest';
import { HAVE_VECTORS, listVectors, readVector } from '../../test/vectors';
import { toBase64, toHex } from './bytes';
import {
  DecodeError, decodeBlockId, decodeBlockResponse, decodeBlockResults, decodeBlockchain, decodeCommit, decodeCommitResponse,
  decodeConsensusParams, decodeGenesis, decodeHeader, decodeSignedHeader, decodeTimestamp, decodeValidatorSet,
  decodeValidatorsPage, formatTimestamp,
} from './decode';
import { BlockIdFlag } from './types';

type J = Record<string, unknown>;
const KV = 'cometbft-v0.38-kvstore';
const kv = (f: string): J => readVector(`${KV}/${f}`) as J;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Expect `fn` to throw a DecodeError at `path` whose message matches `re`. */
function expectDecodeError(fn: () => unknown, path: string, re?: RegExp): DecodeError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DecodeError);
  const de = err as DecodeError;
  expect(de.path).toBe(path);
  expect(de.message.startsWith(`${path}: `)).toBe(true);
  if (re) expect(de.message).toMatch(re);
  return de;
}

const HEADER = {
  version: { block: '11', app: '1' }, chain_id: 'c', height: '5', time: '2023-05-17T14:12:53.088875124Z',
  last_block_id: { hash: 'AA'.repeat(32), parts: { total: 1, hash: 'BB'.repeat(32) } },
  last_commit_hash: '', data_hash: '', validators_hash: '11'.repeat(32), next_validators_hash: '', consensus_hash: '',
  app_hash: '00', last_results_hash: '', evidence_hash: '', proposer_address: 'CC'.repeat(20),
};
const KEY_B64 = 'bNNlGls5R25wC3Sd8720F/3+7IZBhXcD22MNFtPk/v0=';

describe('decodeTimestamp / formatTimestamp (RFC 3339, nanosecond exact)', () => {
  it('keeps nanos exactly and round-trips', () => {
    const ts = decodeTimestamp('2023-05-17T14:12:53.088875124Z');
    expect(ts).toEqual({ seconds: 1684332773n, nanos: 88875124 });
    expect(formatTimestamp(ts)).toBe('2023-05-17T14:12:53.088875124Z');
  });
  it('fewer fraction digits, none, offsets, the Go zero time and the epoch', () => {
    expect(decodeTimestamp('2020-09-14T16:33:54.21191421Z')).toEqual({ seconds: 1600101234n, nanos: 211914210 });
    expect(formatTimestamp({ seconds: 1600101234n, nanos: 211914210 })).toBe('2020-09-14T16:33:54.21191421Z');
    expect(decodeTimestamp('1970-01-01T00:00:01Z')).toEqual({ seconds: 1n, nanos: 0 });
    expect(decodeTimestamp('1970-01-01T02:00:01.5+02:00')).toEqual({ seconds: 1n, nanos: 500000000 });
    expect(decodeTimestamp('0001-01-01T00:00:00Z')).toEqual({ seconds: -62135596800n, nanos: 0 });
    expect(formatTimestamp({ seconds: -62135596800n, nanos: 0 })).toBe('0001-01-01T00:00:00Z');
    expect(formatTimestamp({ seconds: -1n, nanos: 1 })).toBe('1969-12-31T23:59:59.000000001Z');
    expect(decodeTimestamp('2024-02-29T23:59:59.999999999Z')).toEqual({ seconds: 1709251199n, nanos: 999999999 });
    expect(decodeTimestamp('9999-12-31T23:59:59Z').seconds).toBe(253402300799n);
  });
  it('rejects malformed times with the path', () => {
    for (const bad of ['2023-05-17 14:12:53Z', '2023-05-17T14:12:53', '2023-05-17T14:12:53.Z', '2023-05-17T14:12:53.0123456789Z',
      '2023-02-29T00:00:00Z', '2023-13-01T00:00:00Z', '2023-05-17T24:00:00Z', '2023-05-17T14:60:00Z', '2023-05-17t14:12:53z',
      '0000-12-31T00:00:00Z', '', 'yesterday']) {
      expectDecodeError(() => decodeTimestamp(bad, 'x.time'), 'x.time', /expected an RFC 3339 time/);
    }
    expectDecodeError(() => decodeTimestamp(1684332773, 'x.time'), 'x.time', /found 1684332773/);
  });
});

describe('decoding failure paths name the JSON path', () => {
  const block10 = (): J => clone({ jsonrpc: '2.0', id: 1, result: { block_id: { hash: '', parts: { total: 0, hash: '' } }, block: { header: HEADER, data: { txs: [] }, evidence: { evidence: [] }, last_commit: null } } });
  const mutate = (f: (r: J) => void): J => {
    const j = block10();
    f(j['result'] as J);
    return j;
  };
  const header = (r: J): J => (r['block'] as J)['header'] as J;

  it('accepts the fixture (so each failure below is the mutation alone)', () => {
    expect(decodeBlockResponse(block10()).block.header.height).toBe(5n);
  });
  it('malformed int64: fraction, leading zero, plus sign, exponent, -0, overflow, number', () => {
    const de = expectDecodeError(() => decodeBlockResponse(mutate((r) => { header(r)['height'] = 12.5; })), 'result.block.header.height');
    expect(de.message).toBe('result.block.header.height: expected a decimal int64 string, found 12.5');
    for (const bad of ['12.5', '012', '+1', '1e3', '-0', '9223372036854775808', ' 1', '', '0x10']) {
      expectDecodeError(() => decodeBlockResponse(mutate((r) => { header(r)['height'] = bad; })), 'result.block.header.height', /decimal int64/);
    }
    expect(decodeBlockResponse(mutate((r) => { header(r)['height'] = '9223372036854775807'; })).block.header.height).toBe(9223372036854775807n);
    expect(decodeBlockResponse(mutate((r) => { header(r)['height'] = '-9223372036854775808'; })).block.header.height).toBe(-9223372036854775808n);
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { (header(r)['version'] as J)['block'] = '-1'; })), 'result.block.header.version.block', /uint64/);
  });
  it('bad base64', () => {
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { ((r['block'] as J)['data'] as J)['txs'] = ['AAAA', 'A*A=']; })), 'result.block.data.txs[1]', /base64/);
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { ((r['block'] as J)['data'] as J)['txs'] = ['AAA']; })), 'result.block.data.txs[0]', /base64/);
  });
  it('bad hex and wrong hash/address sizes', () => {
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { header(r)['data_hash'] = 'XYZ'; })), 'result.block.header.data_hash', /hex/);
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { header(r)['app_hash'] = 'ABC'; })), 'result.block.header.app_hash', /hex/);
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { header(r)['data_hash'] = 'AB'; })), 'result.block.header.data_hash', /0 or 32 bytes/);
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { header(r)['proposer_address'] = 'AB'; })), 'result.block.header.proposer_address', /0 or 20 bytes/);
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { ((header(r)['last_block_id'] as J)['parts'] as J)['hash'] = 'G0'; })), 'result.block.header.last_block_id.parts.hash', /hex/);
  });
  it('bad time', () => {
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { header(r)['time'] = '2023-05-17T14:12:53.088875124'; })), 'result.block.header.time', /RFC 3339/);
  });
  it('missing field, wrong JSON type', () => {
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { delete header(r)['chain_id']; })), 'result.block.header.chain_id', /missing/);
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { delete r['block_id']; })), 'result.block_id', /missing/);
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { delete (header(r)['last_block_id'] as J)['parts']; })), 'result.block.header.last_block_id.parts', /missing/);
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { ((header(r)['last_block_id'] as J)['parts'] as J)['total'] = '1'; })), 'result.block.header.last_block_id.parts.total', /uint32/);
    expectDecodeError(() => decodeBlockResponse(mutate((r) => { (r['block'] as J)['header'] = []; })), 'result.block.header', /object/);
  });
  it('wrong pubkey type and wrong key length', () => {
    const page = (pk: unknown): J => ({ jsonrpc: '2.0', id: 1, result: { block_height: '1', validators: [{ address: '', pub_key: pk, voting_power: '1', proposer_priority: '0' }], count: '1', total: '1' } });
    expectDecodeError(() => decodeValidatorsPage(page({ type: 'tendermint/PubKeySecp256k1', value: 'A'.repeat(44) })), 'result.validators[0].pub_key.type', /only key type/);
    expectDecodeError(() => decodeValidatorsPage(page({ type: 'tendermint/PubKeyEd25519', value: 'AAAA' })), 'result.validators[0].pub_key.value', /32-byte/);
    expectDecodeError(() => decodeValidatorsPage(page({ type: 'tendermint/PubKeyEd25519', value: '!!!!' })), 'result.validators[0].pub_key.value', /base64/);
  });
  it('commit signatures: path includes the index', () => {
    const c = { height: '1', round: 0, block_id: { hash: '', parts: { total: 0, hash: '' } }, signatures: [
      { block_id_flag: 2, validator_address: 'CC'.repeat(20), timestamp: '1970-01-01T00:00:01Z', signature: 'AA==' },
      { block_id_flag: 7, validator_address: '', timestamp: '0001-01-01T00:00:00Z', signature: null },
    ] };
    expectDecodeError(() => decodeCommit(c, 'commit'), 'commit.signatures[1].block_id_flag', /BlockIDFlag/);
  });
  it('an RPC error envelope is reported as a DecodeError naming it', () => {
    const de = expectDecodeError(() => decodeBlockResponse({ jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'Internal error', data: 'height must be greater than 0, but got 0' } }), 'error');
    expect(de.message).toMatch(/JSON-RPC error: -32603 Internal error height must be greater than 0/);
  });
});

describe('decoding shapes without vectors', () => {
  it('both BlockID shapes, and last_block_id null as the zero BlockID', () => {
    const a = decodeBlockId({ hash: 'AA'.repeat(32), parts: { total: 3, hash: 'BB'.repeat(32) } });
    const b = decodeBlockId({ hash: 'aa'.repeat(32), part_set_header: { total: 3, hash: 'bb'.repeat(32) } });
    expect(b).toEqual(a);
    expect(a.parts.total).toBe(3);
    const h = decodeHeader({ ...HEADER, last_block_id: null, version: { block: '11' } });
    expect(h.lastBlockId).toEqual({ hash: new Uint8Array(0), parts: { total: 0, hash: new Uint8Array(0) } });
    expect(h.version).toEqual({ block: 11n, app: 0n });
  });
  it('envelope and bare result decode the same', () => {
    const result = { signed_header: { header: HEADER, commit: { height: '5', round: 0, block_id: { hash: '', parts: { total: 0, hash: '' } }, signatures: null } }, canonical: true };
    expect(decodeCommitResponse({ jsonrpc: '2.0', id: 7, result })).toEqual(decodeCommitResponse(result));
    expect(decodeCommitResponse(result).commit.signatures).toEqual([]);
  });
  it('/validators page: paging fields, proposer priority, key bytes', () => {
    const p = decodeValidatorsPage({ jsonrpc: '2.0', id: 1, result: { block_height: '10', validators: [
      { address: '2DD9F44FD9067555C322243C3C913BA7B51D2BE0', pub_key: { type: 'tendermint/PubKeyEd25519', value: KEY_B64 }, voting_power: '10', proposer_priority: '-5' },
    ], count: '1', total: '1' } });
    expect(p.blockHeight).toBe(10n);
    expect(p.count).toBe(1);
    expect(p.total).toBe(1);
    const v = p.validatorSet.validators[0]!;
    expect(v.votingPower).toBe(10n);
    expect(v.proposerPriority).toBe(-5n);
    expect(toBase64(v.pubKey)).toBe(KEY_B64);
  });
  it('block_results: ExecTxResults with omitted fields and both validator-update key forms', () => {
    const r = decodeBlockResults({ height: '3', txs_results: [{ code: 5, data: 'AQI=', gas_wanted: '10', gas_used: '-1', log: 'x', codespace: 'sdk', events: [] }, {}],
      validator_updates: [
        { pub_key: { type: 'tendermint/PubKeyEd25519', value: KEY_B64 }, power: '7' },
        { pub_key: { Sum: { type: 'tendermint.crypto.PublicKey_Ed25519', value: { ed25519: KEY_B64 } } } },
      ], app_hash: 'BgAAAAAAAAA=' });
    expect(r.txsResults[0]).toMatchObject({ code: 5, data: Uint8Array.of(1, 2), gasWanted: 10n, gasUsed: -1n, log: 'x', codespace: 'sdk' });
    expect(r.txsResults[1]).toMatchObject({ code: 0, data: new Uint8Array(0), gasWanted: 0n, gasUsed: 0n });
    expect(r.validatorUpdates.map((u) => u.power)).toEqual([7n, 0n]);
    expect(toBase64(r.validatorUpdates[1]!.pubKey)).toBe(KEY_B64);
    expect(toHex(r.appHash)).toBe('0600000000000000');
    expectDecodeError(() => decodeBlockResults({ height: '3', txs_results: null, validator_updates: [{ pub_key: { Sum: { type: 'tendermint.crypto.PublicKey_Secp256K1', value: { secp256k1: 'AA==' } } }, power: '1' }] }),
      'result.validator_updates[0].pub_key.Sum.type', /only key type/);
  });
  it('genesis: an empty validator address is derived from the key', () => {
    const g = decodeGenesis({ genesis_time: '2023-05-17T14:12:48.347696215Z', chain_id: 'c', initial_height: '1', app_hash: '',
      consensus_params: { block: { max_bytes: '1', max_gas: '-1' }, evidence: { max_age_num_blocks: '1', max_age_duration: '1', max_bytes: '1' }, validator: { pub_key_types: ['ed25519'] }, version: { app: '0' } },
      validators: [{ address: '', pub_key: { type: 'tendermint/PubKeyEd25519', value: KEY_B64 }, power: '10', name: '' }] });
    expect(toHex(g.validators[0]!.address)).toBe('2DD9F44FD9067555C322243C3C913BA7B51D2BE0');
    expect(g.consensusParams.abci.voteExtensionsEnableHeight).toBe(0n);
  });
});

describe.skipIf(!HAVE_VECTORS)('decoding the kvstore vectors', () => {
  it('genesis: time, params, validator', () => {
    const g = decodeGenesis(kv('genesis.json'));
    expect(g.chainId).toBe('dockerchain');
    expect(g.initialHeight).toBe(1n);
    expect(formatTimestamp(g.genesisTime)).toBe('2023-05-17T14:12:48.347696215Z');
    expect(g.consensusParams).toEqual({
      block: { maxBytes: 22020096n, maxGas: -1n },
      evidence: { maxAgeNumBlocks: 100000n, maxAgeDurationNs: 172800000000000n, maxBytes: 1048576n },
      validator: { pubKeyTypes: ['ed25519'] }, version: { app: 0n }, abci: { voteExtensionsEnableHeight: 0n },
    });
    expect(g.validators).toHaveLength(1);
    expect(toHex(g.validators[0]!.address)).toBe('2DD9F44FD9067555C322243C3C913BA7B51D2BE0');
    expect(g.validators[0]!.power).toBe(10n);
    expect(g.appHash.length).toBe(0);
  });
  it('/consensus_params decodes to the genesis params', () => {
    expect(decodeConsensusParams(kv('consensus_params.json'))).toEqual(decodeGenesis(kv('genesis.json')).consensusParams);
  });
  it('/block at 10: every field', () => {
    const r = decodeBlockResponse(kv('block_at_height_10.json'));
    const h = r.block.header;
    expect(h.height).toBe(10n);
    expect(h.version).toEqual({ block: 11n, app: 1n });
    expect(formatTimestamp(h.time)).toBe('2023-05-17T14:12:53.088875124Z');
    expect(toHex(h.lastBlockId.hash)).toBe('678A83FB0422D053A3792154703122861DD68ABB8247A4FF2945DF832DB18FC8');
    expect(h.lastBlockId.parts.total).toBe(1);
    expect(toHex(h.appHash)).toBe('0000000000000000');
    const lc = r.block.lastCommit!;
    expect(lc.height).toBe(9n);
    expect(lc.signatures[0]!.blockIdFlag).toBe(BlockIdFlag.Commit);
    expect(lc.signatures[0]!.signature.length).toBe(64);
    expect(toHex(r.blockId.hash)).toBe('00ECDAC463C201ECD4BDBBAAE4A53A4C80291D4051FD69ED97F6420CE1388BFE');
  });
  it('/block at 1: the empty last commit and zero last_block_id', () => {
    const r = decodeBlockResponse(kv('block_at_height_1.json'));
    expect(r.block.lastCommit!.height).toBe(0n);
    expect(r.block.lastCommit!.signatures).toEqual([]);
    expect(r.block.header.lastBlockId.hash.length).toBe(0);
  });
  it('/block at 0 is an RPC error', () => {
    expectDecodeError(() => decodeBlockResponse(kv('block_at_height_0.json')), 'error', /height must be greater than 0/);
  });
  it('/blockchain: 10 metas with sizes and tx counts', () => {
    const bc = decodeBlockchain(kv('blockchain_from_1_to_10.json'));
    expect(bc.lastHeight).toBe(214n);
    expect(bc.blockMetas.map((m) => m.header.height)).toEqual([10n, 9n, 8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n]);
    expect(bc.blockMetas[0]!.blockSize).toBe(569n);
    expect(bc.blockMetas[0]!.numTxs).toBe(0n);
  });
  it('/block_results at 10: null fields read as empty', () => {
    const r = decodeBlockResults(kv('block_results_at_height_10.json'));
    expect(r).toEqual({ height: 10n, txsResults: [], validatorUpdates: [], appHash: new Uint8Array(0) });
  });
  it('duplicate-vote evidence decodes with both votes', () => {
    const b = ((kv('block_search_evidence.json')['result'] as J)['blocks'] as unknown[])[0];
    const ev = decodeBlockResponse(b).block.evidence[0]!;
    expect(ev.kind).toBe('duplicate_vote');
    if (ev.kind !== 'duplicate_vote') return;
    expect(ev.voteA.blockId.hash.length).toBe(0);
    expect(ev.voteB.blockId.parts.total).toBe(1);
    expect(ev.totalVotingPower).toBe(1509n);
    expect(ev.validatorPower).toBe(99n);
    expect(formatTimestamp(ev.timestamp)).toBe('2024-09-13T15:58:27.05956617Z');
  });
  it('every time string in every block round-trips through formatTimestamp', () => {
    const blocks = [kv('block_at_height_1.json'), kv('block_at_height_10.json'), kv('block_by_hash.json'),
      ...((kv('block_search.json')['result'] as J)['blocks'] as J[])];
    let n = 0;
    for (const raw of blocks) {
      const res = (raw['result'] ?? raw) as J;
      const rb = res['block'] as J;
      const r = decodeBlockResponse(raw);
      expect(formatTimestamp(r.block.header.time)).toBe((rb['header'] as J)['time']);
      const sigs = (rb['last_commit'] as J)['signatures'] as J[];
      r.block.lastCommit!.signatures.forEach((s, i) => expect(formatTimestamp(s.timestamp)).toBe(sigs[i]!['timestamp']));
      n += 1 + sigs.length;
    }
    expect(n).toBeGreaterThan(90);
  });
});

describe.skipIf(!HAVE_VECTORS)('decoding the light-client-single-step vectors', () => {
  it('every signed header and validator set decodes (absent signatures, null signatures, empty sets)', () => {
    let absent = 0, sets = 0;
    for (const f of listVectors('light-client-single-step')) {
      const doc = readVector(`light-client-single-step/${f}`) as J;
      const init = doc['initial'] as J;
      decodeSignedHeader(init['signed_header'], 'initial.signed_header');
      decodeValidatorSet(init['next_validator_set'], 'initial.next_validator_set');
      (doc['input'] as J[]).forEach((s, i) => {
        const b = s['block'] as J;
        const sh = decodeSignedHeader(b['signed_header'], `input[${i}].block.signed_header`);
        absent += sh.commit.signatures.filter((x) => x.blockIdFlag === BlockIdFlag.Absent).length;
        for (const x of sh.commit.signatures.filter((y) => y.blockIdFlag === BlockIdFlag.Absent)) {
          expect(x.signature.length + x.validatorAddress.length).toBe(0);
        }
        decodeValidatorSet(b['validator_set'], `input[${i}].block.validator_set`);
        decodeValidatorSet(b['next_validator_set'], `input[${i}].block.next_validator_set`);
        sets += 2;
      });
    }
    expect(absent).toBe(87);
    expect(sets).toBe(198);
  });
  it('the first validator of a known file decodes exactly', () => {
    const doc = readVector('light-client-single-step/MC4_4_faulty_TestSuccess.json') as J;
    const vs = decodeValidatorSet(((doc['input'] as J[])[0]!['block'] as J)['validator_set'], 'v');
    expect(toHex(vs.validators[0]!.address)).toBe('81D85BE9567F7069A4760C663062E66660DADF34');
    expect(vs.validators[0]!.votingPower).toBe(50n);
    expect(vs.validators[0]!.proposerPriority).toBe(0n);
  });
});
