// Test and bench fixtures: consent-ledger chains run through shared/ledger's in-memory harness
// (real signed transactions, real LedgerMachine results and events) and written to a replica
// store in CometBFT 0.38's RPC shapes (/block with base64 txs, /block_results with txs_results,
// finalize_block_events and validator_updates, as in shared/vectors). Header hashes and commit
// signatures are placeholders: the index reads them but does not verify them.
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64, toHex, utf8 } from '../../../shared/cometbft/bytes';
import { validatorAddress } from '../../../shared/cometbft/hash';
import { formatTimestamp } from '../../../shared/cometbft/timestamp';
import { keyFromSeed } from '../../../shared/ledger/client/keys';
import { T0, TestChain } from '../../../shared/ledger/harness';
import type { BlockOutput, ValidatorUpdate } from '../../../shared/ledger/machine';
import type { TxBodies, TxKind } from '../../../shared/ledger/tx/types';
import type { ReplicaStore, StoreRecord } from '../store';

const enc = new TextEncoder();
const json = (v: unknown): Uint8Array => enc.encode(JSON.stringify(v));
const h32 = (label: string): string => toHex(sha256(utf8(label)));
const ts = (seconds: number): string => formatTimestamp({ seconds: BigInt(seconds), nanos: 0 });

export const PUBKEY_AMINO = 'tendermint/PubKeyEd25519';

/** A ledger chain whose blocks come out as the four stored RPC payloads per height. */
export class FixtureChain {
  readonly c: TestChain;
  readonly validators: ValidatorUpdate[];
  private lastAppHash: Uint8Array;
  private lastBlockHash = '';

  constructor(readonly chainId = 'custos-index-test', seed = 'index-seed') {
    // The harness's default genesis validator (one key, power 10); app_state names none.
    this.c = new TestChain(chainId, { seed, policy: { voting_period_blocks: 2 } });
    this.validators = this.c.genesisValidators;
    this.lastAppHash = this.c.genesisAppHash;
  }

  /** genesis.json in CometBFT's serialization (compact JSON). */
  genesisBytes(): Uint8Array {
    return json({
      genesis_time: ts(T0),
      chain_id: this.chainId,
      initial_height: '1',
      consensus_params: {
        block: { max_bytes: '22020096', max_gas: '-1' },
        evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
        validator: { pub_key_types: ['ed25519'] },
        version: { app: '1' },
        abci: { vote_extensions_enable_height: '0' },
      },
      validators: this.validators.map((v, i) => ({
        address: toHex(validatorAddress(v.pubKey)), pub_key: { type: PUBKEY_AMINO, value: toBase64(v.pubKey) }, power: String(v.power), name: `v${i}`,
      })),
      app_hash: '',
      app_state: this.c.g.appState,
    });
  }

  /** Signs a transaction with the signer's next nonce. */
  tx<K extends TxKind>(kind: K, body: TxBodies[K], seed: Uint8Array, o: { nonce?: number } = {}): Uint8Array {
    return this.c.tx(kind, body, seed, o);
  }

  /** Finalizes and commits one block; returns its stored records and the machine's output. */
  block(txs: Uint8Array[]): { records: StoreRecord[]; out: BlockOutput } {
    const out = this.c.block(txs);
    const height = this.c.height;
    const H = String(height);
    const proposer = toHex(validatorAddress(this.validators[0]!.pubKey));
    const hash = h32(`block ${this.chainId} ${height} ${txs.map((t) => toHex(sha256(t))).join(',')}`);
    const blockId = { hash, parts: { total: 1, hash: h32(`parts ${height}`) } };
    const zeroId = { hash: '', parts: { total: 0, hash: '' } };
    const header = {
      version: { block: '11', app: '1' }, chain_id: this.chainId, height: H, time: ts(this.c.time),
      last_block_id: height === 1 ? zeroId : { hash: this.lastBlockHash, parts: { total: 1, hash: h32(`parts ${height - 1}`) } },
      last_commit_hash: h32(`lc ${height}`), data_hash: h32(`data ${height}`), validators_hash: h32('vals'), next_validators_hash: h32('vals'),
      consensus_hash: h32('params'), app_hash: toHex(this.lastAppHash), last_results_hash: h32(`lr ${height}`), evidence_hash: h32('ev'),
      proposer_address: proposer,
    };
    const lastCommit = { height: String(height - 1), round: 0, block_id: height === 1 ? zeroId : header.last_block_id, signatures: [] };
    const commit = {
      height: H, round: 0, block_id: blockId,
      signatures: [{ block_id_flag: 2, validator_address: proposer, timestamp: ts(this.c.time + 1), signature: toBase64(new Uint8Array(64)) }],
    };
    const validators = {
      block_height: H, count: '1', total: '1',
      validators: this.validators.map((v) => ({
        address: toHex(validatorAddress(v.pubKey)), pub_key: { type: PUBKEY_AMINO, value: toBase64(v.pubKey) }, voting_power: String(v.power), proposer_priority: '0',
      })),
    };
    const results = {
      height: H,
      txs_results: out.txResults.length === 0 ? null : out.txResults.map((r) => ({
        code: r.code, data: r.data.length ? toBase64(r.data) : null, log: r.log, info: '', gas_wanted: '0', gas_used: '0', events: r.events, codespace: r.codespace,
      })),
      finalize_block_events: out.events,
      validator_updates: out.validatorUpdates.length === 0 ? null : out.validatorUpdates.map((u) => ({
        pub_key: { Sum: { type: 'tendermint.crypto.PublicKey_Ed25519', value: { ed25519: toBase64(u.pubKey) } } }, power: String(u.power),
      })),
      consensus_param_updates: null,
      app_hash: toBase64(out.appHash),
    };
    this.lastAppHash = out.appHash;
    this.lastBlockHash = hash;
    return {
      out,
      records: [
        { kind: 'block', height, payload: json({ block_id: blockId, block: { header, data: { txs: txs.map(toBase64) }, evidence: { evidence: [] }, last_commit: lastCommit } }) },
        { kind: 'commit', height, payload: json({ signed_header: { header, commit }, canonical: true }) },
        { kind: 'validators', height, payload: json(validators) },
        { kind: 'block_results', height, payload: json(results) },
      ],
    };
  }
}

/** Identities and ids of the scripted workload, for assertions. */
export interface Scripted {
  patients: string[];
  proxy: string;
  newMember: string;
  records: { r1: string; r2: string };
  consents: { c1: string; c2: string };
  accesses: { permit: string; noConsent: string; breakGlass: string; revoked: string; orgInactive: string };
  newOrgAdmin: string;
  newValidator: string;
  badSig: string;
  malformed: string;
  replay: string;
}

/**
 * Blocks 1..14 covering every transaction kind, refusals (bad signature, undecodable bytes,
 * a replayed nonce) and each governance outcome the index records: a policy change, an
 * organisation admitted and one removed, a validator added, a board change, a replaced vote.
 * Returns the stored records per height (to write all at once or in parts).
 */
export function scriptedChain(fx: FixtureChain): { heights: StoreRecord[][]; ids: Scripted } {
  const { c } = fx;
  const g = c.g;
  const M = (label: string) => g.members.find((m) => m.label === label)!;
  const clin1 = M('st-mary-hospital/clinician-1'), clin2 = M('st-mary-hospital/clinician-2'), nurse = M('st-mary-hospital/nurse-1');
  const admin = M('st-mary-hospital/admin-1'), officer = M('st-mary-hospital/officer-1'), tech = M('central-lab/technician-1');
  const payer = M('acme-health/billing-1');
  const ps = [g.patientSeed(0), g.patientSeed(1)];
  const patients = ps.map((s) => keyFromSeed(s).pubkey);
  const proxySeed = g.seedFor('proxy/0'), proxy = keyFromSeed(proxySeed).pubkey;
  const newSeed = g.seedFor('member/new-nurse'), newMember = keyFromSeed(newSeed).pubkey;
  const newOrgAdmin = keyFromSeed(g.seedFor('member/eastside-admin')).pubkey;
  const newValidator = toHex(keyFromSeed(g.seedFor('validator/v1')).publicKey).toLowerCase();
  const sha = (s: string) => toHex(sha256(utf8(s))).toLowerCase();
  const heights: StoreRecord[][] = [];
  const ids = (txs: Uint8Array[]) => txs.map((t) => toHex(sha256(t)));
  const land = (txs: Uint8Array[]) => {
    heights.push(fx.block(txs).records);
    return ids(txs);
  };

  land([]); // 1
  land([ // 2
    fx.tx('patient.register', { patient: patients[0]! }, clin1.seed),
    fx.tx('patient.register', { patient: patients[1]! }, clin1.seed),
    fx.tx('member.add', { pubkey: newMember, roles: ['nurse'] }, admin.seed),
  ]);
  const [r1, r2] = land([ // 3
    fx.tx('record.anchor', { patient: patients[0]!, resource_type: 'Observation', uri: 'urn:uuid:obs-1', sha256: sha('obs-1') }, nurse.seed),
    fx.tx('record.anchor', { patient: patients[0]!, resource_type: 'ImagingStudy', uri: 'urn:uuid:img-1', sha256: sha('img-1') }, tech.seed),
    fx.tx('proxy.grant', { proxy, relationship: 'guardian' }, ps[0]!),
  ]) as [string, string, string];
  const period = { start: c.time, end: c.time + 30 * 86400 };
  const [, c1, c2] = land([ // 4
    fx.tx('record.amend', { record_id: r1, prior_version: 1, uri: 'urn:uuid:obs-1b', sha256: sha('obs-1b'), reason: 'correction' }, nurse.seed),
    fx.tx('consent.grant', { patient: patients[0]!, grantee: { kind: 'org', org: 'st-mary-hospital' }, scope: { kind: 'all' }, purposes: ['TREAT'], period }, ps[0]!),
    fx.tx('consent.grant', {
      patient: patients[0]!, grantee: { kind: 'role', role: 'clinician', org: 'st-mary-hospital' }, scope: { kind: 'records', records: [r1] },
      purposes: ['ETREAT', 'TREAT'], period,
    }, proxySeed),
  ]) as [string, string, string];
  const good = fx.tx('record.anchor', { patient: patients[1]!, resource_type: 'Observation', uri: 'urn:uuid:bad', sha256: sha('bad') }, nurse.seed);
  const s = new TextDecoder().decode(good);
  const at = s.indexOf('"sig":"') + 7;
  const badSigTx = utf8(s.slice(0, at) + (s[at] === '0' ? '1' : '0') + s.slice(at + 1));
  const malformedTx = utf8('not a ledger transaction');
  const replayTx = fx.tx('patient.register', { patient: patients[1]! }, clin1.seed, { nonce: 1 });
  const [permit, noConsent, breakGlass, badSig, malformed, replay] = land([ // 5
    fx.tx('access.record', { org: 'st-mary-hospital', records: [r1], purpose: 'TREAT', action: 'read', consent_id: c1 }, clin2.seed),
    fx.tx('access.record', { org: 'st-mary-hospital', records: [r1], purpose: 'TREAT', action: 'read' }, clin1.seed),
    fx.tx('access.record', { org: 'st-mary-hospital', records: [r1, r2].sort(), purpose: 'ETREAT', action: 'read', break_glass: { justification: 'unconscious patient in A&E' } }, nurse.seed),
    badSigTx, malformedTx, replayTx,
  ]) as string[] as [string, string, string, string, string, string];
  land([ // 6
    fx.tx('breakglass.review', { access_id: breakGlass, outcome: 'justified', note: 'confirmed with the ward' }, officer.seed),
    fx.tx('consent.revoke', { consent_id: c1 }, ps[0]!),
    fx.tx('member.roles', { pubkey: newMember, roles: ['clinician', 'nurse'] }, admin.seed),
  ]);
  const [revoked] = land([ // 7
    fx.tx('access.record', { org: 'st-mary-hospital', records: [r1], purpose: 'TREAT', action: 'read', consent_id: c1 }, clin2.seed),
    fx.tx('proxy.revoke', { patient: patients[0]!, proxy }, ps[0]!),
    fx.tx('member.end', { pubkey: newMember, reason: 'left' }, admin.seed),
  ]) as [string];
  const b = g.board;
  land([ // 8: proposals 1..3, voting ends at 10
    fx.tx('gov.propose', { title: 'Longer free text', summary: '', content: { type: 'policy_change', changes: { max_text_len: 1024 } } }, b[0]!.seed),
    fx.tx('gov.propose', {
      title: 'Admit Eastside Clinic', summary: 'A new clinic',
      content: { type: 'org_admit', org: { id: 'eastside-clinic', name: 'Eastside Clinic', kind: 'clinic' }, admin: newOrgAdmin },
    }, b[1]!.seed),
    fx.tx('gov.propose', { title: 'Add validator v1', summary: '', content: { type: 'validator_update', updates: [{ pub_key: newValidator, power: 5 }] } }, b[2]!.seed),
  ]);
  land([ // 9: votes; board[4] votes no on #1, then yes
    ...[1, 2, 3].flatMap((p) => b.slice(0, 4).map((m) => fx.tx('gov.vote', { proposal_id: p, option: 'yes' }, m.seed))),
    fx.tx('gov.vote', { proposal_id: 1, option: 'no' }, b[4]!.seed),
    fx.tx('gov.vote', { proposal_id: 1, option: 'yes' }, b[4]!.seed),
  ]);
  land([]); // 10: tally and execution of 1..3
  land([ // 11: proposals 4 and 5, voting ends at 13
    fx.tx('gov.propose', { title: 'Seat the Eastside admin', summary: '', content: { type: 'board_change', add: [newOrgAdmin], remove: [] } }, b[0]!.seed),
    fx.tx('gov.propose', { title: 'Remove Acme', summary: '', content: { type: 'org_remove', org_id: 'acme-health' } }, b[0]!.seed),
  ]);
  land([4, 5].flatMap((p) => b.slice(0, 4).map((m) => fx.tx('gov.vote', { proposal_id: p, option: 'yes' }, m.seed)))); // 12
  land([]); // 13: tally and execution of 4, 5
  const [orgInactive] = land([ // 14
    fx.tx('access.record', { org: 'acme-health', records: [r2], purpose: 'HPAYMT', action: 'read' }, payer.seed),
  ]) as [string];
  return {
    heights,
    ids: {
      patients, proxy, newMember, records: { r1, r2 }, consents: { c1, c2 },
      accesses: { permit, noConsent, breakGlass, revoked, orgInactive }, newOrgAdmin, newValidator, badSig, malformed, replay,
    },
  };
}

/**
 * A throughput workload after the scripted one: per block, `perBlock` transactions cycling
 * through patient registrations, record anchors, consents and accesses (permit and deny).
 */
export function bulkBlocks(fx: FixtureChain, blocks: number, perBlock: number, onBlock: (records: StoreRecord[]) => void): number {
  const g = fx.c.g;
  const clin = g.members.filter((m) => m.org === 'st-mary-hospital' && m.roles.includes('clinician'));
  const nurse = g.members.find((m) => m.label === 'st-mary-hospital/nurse-1')!;
  const reg = g.members.find((m) => m.label === 'st-mary-hospital/admin-1')!;
  let n = 0;
  let p = 0;
  const patients: { seed: Uint8Array; pk: string; record?: string; consent?: string }[] = [];
  for (let b = 0; b < blocks; b++) {
    const txs: Uint8Array[] = [];
    const after: ((ids: string[]) => void)[] = [];
    const used = new Set<number>();
    while (txs.length < perBlock) {
      const i = txs.length;
      // Patients with a record and a consent get accesses; others move one step along.
      const ready = patients.filter((x, k) => x.consent && !used.has(k));
      if (ready.length > 0 && i % 2 === 0) {
        const x = ready[(b * perBlock + i) % ready.length]!;
        const who = clin[(b + i) % clin.length]!;
        txs.push(fx.tx('access.record', { org: 'st-mary-hospital', records: [x.record!], purpose: 'TREAT', action: 'read', ...(i % 3 ? { consent_id: x.consent! } : {}) }, who.seed));
        continue;
      }
      const k = patients.findIndex((x, idx) => !x.consent && !used.has(idx));
      if (k < 0) {
        const seed = g.patientSeed(1000 + p++);
        patients.push({ seed, pk: keyFromSeed(seed).pubkey });
        used.add(patients.length - 1);
        txs.push(fx.tx('patient.register', { patient: patients[patients.length - 1]!.pk }, reg.seed));
        continue;
      }
      const x = patients[k]!;
      used.add(k);
      if (!x.record) {
        txs.push(fx.tx('record.anchor', { patient: x.pk, resource_type: 'Observation', uri: `urn:uuid:bulk-${b}-${i}`, sha256: toHex(sha256(utf8(`bulk ${b} ${i}`))).toLowerCase() }, nurse.seed));
        after.push((ids) => { x.record = ids[i]; });
      } else {
        const start = fx.c.time;
        txs.push(fx.tx('consent.grant', { patient: x.pk, grantee: { kind: 'org', org: 'st-mary-hospital' }, scope: { kind: 'all' }, purposes: ['TREAT'], period: { start, end: start + 86400 * 365 } }, x.seed));
        after.push((ids) => { x.consent = ids[i]; });
      }
    }
    onBlock(fx.block(txs).records);
    const ids = txs.map((t) => toHex(sha256(t)));
    for (const f of after) f(ids);
    n += txs.length;
  }
  return n;
}

/** Appends heights to a store and flushes. */
export async function appendHeights(store: ReplicaStore, heights: StoreRecord[][]): Promise<void> {
  for (const h of heights) await store.append(h);
  await store.flush();
}
