// Rows for one height: the blocks row, its transactions (tx-rows.ts) in block order, then the
// end-of-block governance events (PROTOCOL.md §9: execution events, then gov_tally, per
// proposal) and the validator updates CometBFT applies from height + 2 (§9.4). The blocks row
// goes to the open shard, governance rows to the core.
import { canonicalString, parseJsonValue, type Json } from '../../../shared/ledger/encoding/canonical';
import { IndexDataError } from './errors';
import { Attrs } from './events';
import type { DecodedHeight } from './payload';
import type { Sql } from './sql';
import { indexTx } from './tx-rows';
import type { RowsCtx } from './writer';

export function indexBlock(ctx: RowsCtx, d: DecodedHeight): number {
  const sql = ctx.core;
  if (d.results.length !== d.txs.length) {
    throw new IndexDataError(d.height, '/block_results txs_results', `${d.results.length} results for ${d.txs.length} transactions`);
  }
  let failed = 0;
  for (let i = 0; i < d.txs.length; i++) {
    if (!indexTx(ctx, { height: d.height, time: d.time, index: i }, d.txs[i]!, d.results[i]!, d.txEvents[i]!)) failed++;
  }
  ctx.shard.run(
    `INSERT INTO blocks (height, hash, time_rfc3339, time, proposer, tx_count, tx_failed, app_hash, results_app_hash, events_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [d.height, d.hash, d.timeRfc3339, d.time, d.proposer, d.txs.length, failed, d.appHash, d.resultsAppHash, d.blockEventsJson],
  );
  const validatorProposal = new Map<string, number>();
  for (const ev of d.blockEvents) {
    const a = new Attrs(ev, d.height);
    switch (ev.type) {
      case 'policy_version': policyVersion(sql, d.height, a); break;
      case 'org_admit': orgAdmit(sql, d.height, a); break;
      case 'org_remove':
        sql.run('UPDATE organisations SET status = \'removed\', removed_height = ?, removed_by_proposal = ? WHERE id = ?', [d.height, a.int('proposal_id'), a.str('org')]);
        break;
      case 'validator_update': validatorProposal.set(a.str('pub_key'), a.int('proposal_id')); break;
      case 'board_change': {
        const p = a.int('proposal_id');
        for (const [change, key] of [['add', 'add'], ['remove', 'remove']] as const) {
          for (const pk of a.str(key).split(',').filter(Boolean)) {
            sql.run('INSERT INTO board_changes (height, proposal_id, pubkey, change) VALUES (?, ?, ?, ?)', [d.height, p, pk, change]);
          }
        }
        break;
      }
      case 'gov_tally':
        sql.run(
          `UPDATE proposals SET status = ?, reason = ?, final_height = ?, eligible = ?, yes = ?, no = ?, abstain = ?, veto = ?, policy_version = ?
           WHERE id = ?`,
          [a.str('status'), a.opt('reason'), d.height, a.int('eligible'), a.int('yes'), a.int('no'), a.int('abstain'), a.int('veto'), a.optInt('policy_version'), a.int('proposal_id')],
        );
        break;
    }
  }
  // What CometBFT applies is /block_results validator_updates; the events say which proposal asked.
  for (const u of d.validatorUpdates) {
    sql.run('INSERT INTO validator_changes (height, pub_key, power, proposal_id) VALUES (?, ?, ?, ?)', [d.height, u.pubKey, u.power, validatorProposal.get(u.pubKey) ?? null]);
  }
  return failed;
}

function proposalContent(sql: Sql, height: number, id: number): Record<string, Json> {
  const text = sql.value('SELECT content_json FROM proposals WHERE id = ?', [id]);
  if (typeof text !== 'string') throw new IndexDataError(height, `proposal ${id}`, 'executed, but the index has no gov.propose for it');
  return parseJsonValue(text) as Record<string, Json>;
}

/** §9.3: version n+1 = version n's params ⊕ the proposal's changes (the ledger validated the result). */
function policyVersion(sql: Sql, height: number, a: Attrs): void {
  const version = a.int('version'), proposal = a.int('proposal_id');
  const prev = sql.value('SELECT params_json FROM policy_versions WHERE version = ?', [version - 1]);
  if (typeof prev !== 'string') throw new IndexDataError(height, `policy_version ${version}`, `the index has no version ${version - 1}`);
  const changes = proposalContent(sql, height, proposal)['changes'] as Record<string, Json>;
  const params = { ...(parseJsonValue(prev) as Record<string, Json>), ...changes };
  sql.run('INSERT INTO policy_versions (version, proposal_id, height, changed, params_json) VALUES (?, ?, ?, ?, ?)', [
    version, proposal, height, a.str('changed'), canonicalString(params),
  ]);
}

/** §9.3 org_admit: the organisation (its name from the proposal) and its first admin. */
function orgAdmit(sql: Sql, height: number, a: Attrs): void {
  const proposal = a.int('proposal_id');
  const org = proposalContent(sql, height, proposal)['org'] as { name?: Json } | undefined;
  sql.run('INSERT INTO organisations (id, name, kind, status, admitted_height, admitted_by_proposal) VALUES (?, ?, ?, \'active\', ?, ?)', [
    a.str('org'), typeof org?.name === 'string' ? org.name : '', a.str('kind'), height, proposal,
  ]);
  sql.run('INSERT INTO members (pubkey, org, roles, status, start_height, added_by) VALUES (?, ?, \'admin\', \'active\', ?, ?)', [
    a.str('admin'), a.str('org'), height, `proposal/${proposal}`,
  ]);
}
