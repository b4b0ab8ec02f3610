// Header and component hashes against real CometBFT 0.38 data (../shared/vectors).
import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { HAVE_VECTORS, listVectors, readVector } from '../../test/vectors';
import { fromBase64, fromHex, toHex } from './bytes';
import {
  decodeBlockId, decodeBlockResponse, decodeBlockResults, decodeBlockchain, decodeCommitResponse, decodeGenesis, decodeHeader,
  decodeSignedHeader, decodeValidatorSet,
} from './decode';
import {
  consensusParamsHash, dataHash, evidenceHash, headerHash, lastCommitHash, lastResultsHash, sortValidators, validatorAddress,
  validatorSetHash,
} from './hash';
import type { BlockResponse, Header, ValidatorSet } from './types';

const KV = 'cometbft-v0.38-kvstore';
const kv = (f: string): unknown => readVector(`${KV}/${f}`);
const hex = toHex;
type J = Record<string, unknown>;

/** Every (label, BlockResponse) in the kvstore captures that carries a block with its block_id. */
function allBlocks(): [string, BlockResponse][] {
  const out: [string, BlockResponse][] = [];
  for (const f of ['block_at_height_1.json', 'block_at_height_10.json', 'block_by_hash.json']) out.push([f, decodeBlockResponse(kv(f))]);
  for (const f of ['block_search.json', 'block_search_evidence.json']) {
    const blocks = ((kv(f) as J)['result'] as J)['blocks'] as unknown[];
    blocks.forEach((b, i) => out.push([`${f}#${i}`, decodeBlockResponse(b, `result.blocks[${i}]`)]));
  }
  for (const f of listVectors(KV).filter((n) => n.startsWith('subscribe_newblock_'))) {
    const v = (((kv(f) as J)['result'] as J)['data'] as J)['value'];
    out.push([f, decodeBlockResponse(v, 'result.data.value')]);
  }
  return out;
}

describe.skipIf(!HAVE_VECTORS)('hashes of real CometBFT 0.38 blocks (kvstore vectors)', () => {
  const blocks = HAVE_VECTORS ? allBlocks() : [];

  it('decodes 54 blocks: 3 single, 45 + 1 from block_search, 5 NewBlock events', () => {
    expect(blocks.length).toBe(54);
  });

  it('every block header hashes to its own block_id.hash', () => {
    for (const [label, r] of blocks) expect(hex(headerHash(r.block.header)), label).toBe(hex(r.blockId.hash));
  });

  it('every /blockchain meta header hashes to its block_id.hash', () => {
    const metas = decodeBlockchain(kv('blockchain_from_1_to_10.json')).blockMetas;
    expect(metas.length).toBe(10);
    for (const m of metas) expect(hex(headerHash(m.header)), `height ${m.header.height}`).toBe(hex(m.blockId.hash));
  });

  it('every block reproduces DataHash, LastCommitHash and EvidenceHash from its own body', () => {
    for (const [label, r] of blocks) {
      const h = r.block.header;
      expect(hex(dataHash(r.block.txs)), `${label} data_hash`).toBe(hex(h.dataHash));
      expect(hex(evidenceHash(r.block.evidence)), `${label} evidence_hash`).toBe(hex(h.evidenceHash));
      expect(r.block.lastCommit, label).not.toBeNull();
      expect(hex(lastCommitHash(r.block.lastCommit!)), `${label} last_commit_hash`).toBe(hex(h.lastCommitHash));
    }
  });

  it('the one block with DuplicateVoteEvidence reproduces its non-empty EvidenceHash', () => {
    const [, r] = blocks.find(([l]) => l.startsWith('block_search_evidence'))!;
    expect(r.block.evidence.length).toBe(1);
    expect(r.block.evidence[0]!.kind).toBe('duplicate_vote');
    expect(hex(evidenceHash(r.block.evidence))).toBe('051CD844C65A51852281128722BC6BE700F2CC288F6C4AB808E06D9EF82170E5');
    expect(r.block.lastCommit!.signatures.length).toBe(3);
  });

  it('block 10: last_commit reproduces LastCommitHash and the block_id of block 9 is its LastBlockID', () => {
    const b10 = decodeBlockResponse(kv('block_at_height_10.json'));
    expect(hex(lastCommitHash(b10.block.lastCommit!))).toBe('A3AD467820428D99FD53BFCF38CDC1EB141DD27E3B5F0F3931BBE91FBA8B097D');
    const b9 = blocks.find(([, r]) => r.block.header.height === 9n && r.block.header.chainId === 'dockerchain' && hex(r.blockId.hash) === hex(b10.block.header.lastBlockId.hash));
    expect(b9, 'block 9 in block_search').toBeDefined();
    expect(hex(headerHash(b9![1].block.header))).toBe(hex(b10.block.header.lastBlockId.hash));
  });

  it('/commit at 10: header hashes to commit.block_id.hash', () => {
    const sh = decodeCommitResponse(kv('commit_at_height_10.json'));
    expect(hex(headerHash(sh.header))).toBe(hex(sh.commit.blockId.hash));
    expect(hex(sh.commit.blockId.hash)).toBe('00ECDAC463C201ECD4BDBBAAE4A53A4C80291D4051FD69ED97F6420CE1388BFE');
  });

  it('genesis validators reproduce ValidatorsHash and NextValidatorsHash; their address is SHA-256(pubkey)[:20]', () => {
    const g = decodeGenesis(kv('genesis.json'));
    const vs: ValidatorSet = {
      validators: g.validators.map((v) => ({ address: v.address, pubKey: v.pubKey, pubKeyType: 'ed25519', votingPower: v.power, proposerPriority: 0n })),
    };
    for (const v of g.validators) expect(hex(validatorAddress(v.pubKey))).toBe(hex(v.address));
    // block_by_hash and block_search_evidence come from other chains; the rest are proposed by the genesis validator.
    const same = blocks.filter(([, r]) => hex(r.block.header.proposerAddress) === hex(g.validators[0]!.address));
    expect(same.length).toBe(52);
    for (const [label, r] of same) {
      expect(hex(validatorSetHash(vs)), label).toBe(hex(r.block.header.validatorsHash));
      expect(hex(validatorSetHash(vs)), label).toBe(hex(r.block.header.nextValidatorsHash));
    }
  });

  it('genesis consensus_params reproduce ConsensusHash', () => {
    const g = decodeGenesis(kv('genesis.json'));
    expect(hex(consensusParamsHash(g.consensusParams))).toBe('048091BC7DDC283F77BFBF91D73C44DA58C3DF8A9CBC867405D8B7F3DAADA22F');
    for (const [label, r] of blocks) expect(hex(consensusParamsHash(g.consensusParams)), label).toBe(hex(r.block.header.consensusHash));
  });

  it('block_results at 10 reproduce LastResultsHash of block 11', () => {
    const res = decodeBlockResults(kv('block_results_at_height_10.json'));
    expect(res.height).toBe(10n);
    const b11 = blocks.find(([, r]) => r.block.header.height === 11n && r.block.header.chainId === 'dockerchain')![1];
    expect(hex(lastResultsHash(res.txsResults))).toBe(hex(b11.block.header.lastResultsHash));
  });

  it('DataHash of a one-tx block equals the tx proof root_hash (tx_search with prove: 9 blocks)', () => {
    const txs = ((kv('tx_search_with_prove.json') as J)['result'] as J)['txs'] as J[];
    expect(txs.length).toBe(9);
    for (const t of txs) {
      const proof = t['proof'] as J;
      expect((proof['proof'] as J)['total']).toBe('1');
      const tx = fromBase64(t['tx'] as string);
      expect(hex(dataHash([tx])), `height ${t['height'] as string}`).toBe(proof['root_hash']);
      expect(hex(sha256(Uint8Array.of(0, ...sha256(tx))))).toBe(hex(fromBase64((proof['proof'] as J)['leaf_hash'] as string)));
    }
  });

  it('header/header_with_known_hash.json reproduces its known hash', () => {
    const h: Header = decodeHeader(readVector('header/header_with_known_hash.json'), 'header');
    // The file carries no hash: tendermint-rs asserts this one for it (tendermint/src/block/header.rs, test header_hashing).
    expect(hex(headerHash(h))).toBe('F30A71F2409FB15AACAEDB6CC122DFA2525BEE9CAE521721B06BFDCA291B8D56');
  });
});

describe.skipIf(!HAVE_VECTORS)('light-client-single-step vectors: validator-set and header hashes', () => {
  const files = HAVE_VECTORS ? listVectors('light-client-single-step') : [];

  it('has the 41 case files', () => {
    expect(files.length).toBe(41);
  });

  it('every header: ValidatorsHash / NextValidatorsHash reproduce after canonical sorting; hash equals commit.block_id.hash', () => {
    let headers = 0, sets = 0, unsortedSets = 0;
    for (const f of files) {
      const doc = readVector(`light-client-single-step/${f}`) as J;
      const initial = doc['initial'] as J;
      const steps: [string, J, J | null, J][] = [
        [`${f} initial`, initial['signed_header'] as J, null, initial['next_validator_set'] as J],
        ...(doc['input'] as J[]).map((s, i): [string, J, J | null, J] => {
          const b = s['block'] as J;
          return [`${f} input[${i}]`, b['signed_header'] as J, b['validator_set'] as J, b['next_validator_set'] as J];
        }),
      ];
      for (const [label, shJ, vsJ, nvsJ] of steps) {
        const sh = decodeSignedHeader(shJ, label);
        expect(hex(headerHash(sh.header)), `${label} header hash`).toBe(hex(sh.commit.blockId.hash));
        headers++;
        const check = (json: J, want: Uint8Array, what: string): void => {
          const vs = decodeValidatorSet(json, `${label}.${what}`);
          expect(hex(validatorSetHash(vs)), `${label} ${what}`).toBe(hex(want));
          if (sortValidators(vs).validators.some((v, i) => v !== vs.validators[i])) unsortedSets++;
          sets++;
        };
        if (vsJ) check(vsJ, sh.header.validatorsHash, 'validator_set');
        check(nvsJ, sh.header.nextValidatorsHash, 'next_validator_set');
      }
    }
    expect(headers).toBe(41 + 99);
    expect(sets).toBe(41 + 2 * 99);
    expect(unsortedSets).toBeGreaterThan(0); // sorting was needed, not incidental
  });
});

describe('hash edge cases (no vectors needed)', () => {
  it('Header.Hash is empty when ValidatorsHash is empty (types/block.go)', () => {
    const h = decodeHeader({
      version: { block: '11' }, chain_id: 'c', height: '1', time: '1970-01-01T00:00:00Z', last_block_id: null, last_commit_hash: '',
      data_hash: '', validators_hash: '', next_validators_hash: '', consensus_hash: '', app_hash: '', last_results_hash: '',
      evidence_hash: '', proposer_address: '',
    });
    expect(headerHash(h).length).toBe(0);
  });
  it('empty evidence, txs, results and commit all hash to SHA-256("")', () => {
    const empty = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';
    expect(hex(evidenceHash([]))).toBe(empty);
    expect(hex(dataHash([]))).toBe(empty);
    expect(hex(lastResultsHash([]))).toBe(empty);
    expect(hex(lastCommitHash({ height: 0n, round: 0, blockId: decodeBlockId({ hash: '', parts: { total: 0, hash: '' } }), signatures: [] }))).toBe(empty);
  });
  it('LightClientAttackEvidence is refused by evidenceHash with a clear error', () => {
    expect(() => evidenceHash([{ kind: 'unsupported', type: 'tendermint/LightClientAttackEvidence', value: {} }])).toThrow(/LightClientAttackEvidence/);
  });
  it('sortValidators: power descending, then address ascending; input untouched', () => {
    const v = (addr: string, p: bigint) => ({ address: fromHex(addr), pubKey: new Uint8Array(32), pubKeyType: 'ed25519' as const, votingPower: p, proposerPriority: 0n });
    const vs = { validators: [v('03', 5n), v('02', 10n), v('01', 5n)] };
    expect(sortValidators(vs).validators.map((x) => hex(x.address))).toEqual(['02', '01', '03']);
    expect(vs.validators.map((x) => hex(x.address))).toEqual(['03', '02', '01']);
  });
});
