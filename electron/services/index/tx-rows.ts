// Rows for one transaction: the txs row, and for a recorded (code 0) transaction the per-kind
// rows. What happened is taken from the ledger's own output — the events of PROTOCOL.md §8 and
// TxResult.data (decodeResultData) — never re-derived from the rules: the access decision,
// deny reason and review deadline are the ones the ledger committed to (LastResultsHash). The
// transaction body fills in what the events leave out (uri, grantee/scope objects, proposal
// text, break-glass justification length). No LedgerMachine replay is needed: everything else
// the rows need (a member's organisation, a record's resource type) is already in the index.
// Rows go to the core or to the open shard (writer.ts); a revoke or review of a row in a sealed
// shard becomes a patch (patches.ts).
import { toBase64 } from '../../../shared/cometbft/bytes';
import type { ExecTxResult } from '../../../shared/cometbft/types';
import { decodeResultData, decodeTx, txId } from '../../../shared/ledger/client/build';
import { canonicalString, type Json } from '../../../shared/ledger/encoding/canonical';
import { DecodeError } from '../../../shared/ledger/tx/fields';
import type { AnyTx, Tx } from '../../../shared/ledger/tx/types';
import { IndexDataError } from './errors';
import { Attrs, type LedgerEvent } from './events';
import type { RowsCtx } from './writer';

export interface TxPosition {
  height: number;
  time: number;
  index: number;
}

const utf8 = new TextDecoder('utf-8');
const enc = new TextEncoder();

function decodeOrUndefined(bytes: Uint8Array): AnyTx | undefined {
  try {
    return decodeTx(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

function resultData(data: Uint8Array): Record<string, Json> | undefined {
  try {
    const v = decodeResultData(data);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined; // not the ledger's canonical JSON: kept out of result_json
  }
}

/** Indexes one transaction; returns whether it was recorded (code 0). */
export function indexTx(ctx: RowsCtx, pos: TxPosition, bytes: Uint8Array, result: ExecTxResult, events: LedgerEvent[]): boolean {
  const id = txId(bytes);
  const tx = decodeOrUndefined(bytes);
  const data = result.data.length ? resultData(result.data) : undefined;
  ctx.shard.run(
    `INSERT INTO txs (height, idx, id, kind, signer, nonce, code, codespace, log, size, tx_json, raw_base64, result_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      pos.height, pos.index, id, tx?.kind ?? null, tx?.signer ?? null, tx?.nonce ?? null, result.code, result.codespace, result.log,
      bytes.length, tx ? utf8.decode(bytes) : null, tx ? null : toBase64(bytes), data ? canonicalString(data) : null,
    ],
  );
  if (result.code !== 0 || !tx) return result.code === 0;
  const c: TxCtx = { core: ctx.core, shard: ctx.shard, recordType: ctx.recordType.bind(ctx), update: ctx.update.bind(ctx), pos, id, tx, data };
  for (const ev of events) EVENT_ROWS[ev.type]?.(c, new Attrs(ev, pos.height));
  return true;
}

interface TxCtx {
  core: RowsCtx['core'];
  shard: RowsCtx['shard'];
  recordType: RowsCtx['recordType'];
  update: RowsCtx['update'];
  pos: TxPosition;
  id: string;
  tx: AnyTx;
  data: Record<string, Json> | undefined;
}

/** The body when the transaction is of the kind the event belongs to (it always is for a well-formed chain). */
function bodyOf<K extends AnyTx['kind']>(c: TxCtx, kind: K): Tx<K>['body'] {
  if (c.tx.kind !== kind) throw new IndexDataError(c.pos.height, `tx ${c.id}`, `a ${kind} event on a ${c.tx.kind} transaction`);
  return c.tx.body as Tx<K>['body'];
}

type EventRows = (c: TxCtx, a: Attrs) => void;

const EVENT_ROWS: Record<string, EventRows> = {
  member_add({ core, pos, id }, a) {
    core.run('INSERT INTO members (pubkey, org, roles, status, start_height, added_by, tx_id) VALUES (?, ?, ?, \'active\', ?, ?, ?)', [
      a.str('member'), a.str('org'), a.str('roles'), pos.height, a.str('by'), id,
    ]);
  },
  member_roles({ core }, a) {
    core.run('UPDATE members SET roles = ? WHERE pubkey = ?', [a.str('roles'), a.str('member')]);
  },
  member_end({ core, pos }, a) {
    core.run('UPDATE members SET status = \'ended\', end_height = ?, end_time = ?, end_reason = ?, ended_by = ? WHERE pubkey = ?', [
      pos.height, pos.time, a.str('reason'), a.str('by'), a.str('member'),
    ]);
  },
  patient_register({ shard, pos, id }, a) {
    shard.run('INSERT INTO patients (pubkey, org, registered_by, height, tx_id) VALUES (?, ?, ?, ?, ?)', [
      a.str('patient'), a.str('org'), a.str('by'), pos.height, id,
    ]);
  },
  proxy_grant({ core, pos, id }, a) {
    const patient = a.str('patient'), proxy = a.str('proxy');
    // §5.5: a grant replaces an expired or revoked entry for the pair; the earlier row stays.
    core.run('UPDATE proxies SET status = \'replaced\' WHERE patient = ? AND proxy = ? AND status = \'active\'', [patient, proxy]);
    core.run(
      `INSERT INTO proxies (tx_id, patient, proxy, relationship, until, status, granted_height, granted_time)
       VALUES (?, ?, ?, ?, ?, 'active', ?, ?)`,
      [id, patient, proxy, a.str('relationship'), a.optInt('until'), pos.height, pos.time],
    );
  },
  proxy_revoke({ core, pos }, a) {
    core.run('UPDATE proxies SET status = \'revoked\', revoked_height = ?, revoked_by = ? WHERE patient = ? AND proxy = ? AND status = \'active\'', [
      pos.height, a.str('by'), a.str('patient'), a.str('proxy'),
    ]);
  },
  record_anchor(c, a) {
    const b = bodyOf(c, 'record.anchor');
    c.shard.run(
      `INSERT INTO anchors (record_id, version, patient, custodian, resource_type, sha256, uri, by, tx_id, height, time)
       VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [a.str('record_id'), a.str('patient'), a.str('custodian'), a.str('resource_type'), a.str('sha256'), b.uri, a.str('by'), c.id, c.pos.height, c.pos.time],
    );
  },
  record_amend(c, a) {
    const b = bodyOf(c, 'record.amend');
    const recordId = a.str('record_id');
    const type = c.recordType(recordId);
    if (typeof type !== 'string') throw new IndexDataError(c.pos.height, `record_amend ${recordId}`, 'amends a record the index has no version 1 of');
    c.shard.run(
      `INSERT INTO anchors (record_id, version, patient, custodian, resource_type, sha256, prev_sha256, uri, reason, by, tx_id, height, time)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [recordId, a.int('version'), a.str('patient'), a.str('custodian'), type, a.str('sha256'), a.str('prev_sha256'), b.uri, a.str('reason'), a.str('by'), c.id, c.pos.height, c.pos.time],
    );
  },
  consent_grant(c, a) {
    const b = bodyOf(c, 'consent.grant');
    c.shard.run(
      `INSERT INTO consents (id, patient, grantor, via_proxy, grantee_kind, grantee, grantee_json, scope_kind, scope_json, purposes,
         period_start, period_end, status, granted_height, granted_time)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
      [
        a.str('consent_id'), a.str('patient'), a.str('grantor'), a.bool('via_proxy') ? 1 : 0, a.str('grantee_kind'), a.str('grantee'),
        canonicalString(b.grantee as unknown as Json), a.str('scope'), canonicalString(b.scope as unknown as Json), a.str('purposes'),
        a.int('start'), a.int('end'), c.pos.height, c.pos.time,
      ],
    );
  },
  consent_revoke({ update, pos }, a) {
    const id = a.str('consent_id');
    update(id, 'consent_revoke', [pos.height, pos.time, a.str('by'), id]);
  },
  access_record(c, a) {
    const b = bodyOf(c, 'access.record');
    const accessId = a.str('access_id');
    // The decision as the ledger committed to it in TxResult.data (§5.11); the event carries the same.
    const d = c.data;
    const decision = typeof d?.['decision'] === 'string' ? d['decision'] : a.str('decision');
    const reason = d ? (typeof d['reason'] === 'string' ? d['reason'] : null) : a.opt('reason');
    const deadline = d ? (typeof d['review_deadline'] === 'number' ? d['review_deadline'] : null) : a.optInt('review_deadline');
    const actor = a.str('actor');
    const actorOrg = c.core.value('SELECT org FROM members WHERE pubkey = ?', [actor]);
    const justification = b.break_glass?.justification;
    c.shard.run(
      `INSERT INTO accesses (id, actor, org, actor_org, patient, records, record_count, purpose, action, decision, deny_reason, consent_id,
         break_glass, justification_len, review_deadline, height, time)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        accessId, actor, a.str('org'), typeof actorOrg === 'string' ? actorOrg : null, a.str('patient'), b.records.join(','), b.records.length,
        a.str('purpose'), a.str('action'), decision, reason, a.opt('consent_id'), justification === undefined ? 0 : 1,
        justification === undefined ? null : enc.encode(justification).length, deadline, c.pos.height, c.pos.time,
      ],
    );
    for (const r of b.records) c.shard.run('INSERT OR IGNORE INTO access_records (access_id, record_id) VALUES (?, ?)', [accessId, r]);
  },
  breakglass_review(c, a) {
    const late = typeof c.data?.['late'] === 'boolean' ? c.data['late'] : a.bool('late');
    const id = a.str('access_id');
    c.update(id, 'breakglass_review', [c.pos.height, c.pos.time, a.str('reviewer'), a.str('outcome'), late ? 1 : 0, id]);
  },
  gov_propose(c, a) {
    const b = bodyOf(c, 'gov.propose');
    c.core.run(
      `INSERT INTO proposals (id, proposer, type, title, summary, content_json, start_height, start_time, end_height, status, tx_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'voting', ?)`,
      [
        a.int('proposal_id'), a.str('proposer'), a.str('type'), b.title, b.summary, canonicalString(b.content as unknown as Json),
        c.pos.height, c.pos.time, a.int('voting_end_height'), c.id,
      ],
    );
  },
  gov_vote({ core, pos, id }, a) {
    const proposal = a.int('proposal_id'), voter = a.str('voter');
    // §5.14: voting again replaces the earlier vote; both stay listed.
    core.run('UPDATE votes SET current = 0 WHERE proposal_id = ? AND voter = ? AND current = 1', [proposal, voter]);
    core.run('INSERT INTO votes (tx_id, proposal_id, voter, option, height, current) VALUES (?, ?, ?, ?, ?, 1)', [id, proposal, voter, a.str('option'), pos.height]);
  },
};
