// Rows for the state at genesis (PROTOCOL.md §10): organisations, members, patients, the
// board, policy version 1 and the ledger's validator set, all at height 0 (patients in the
// first shard, the rest in the core). The genesis document is the one the store holds
// (genesis.json, CometBFT's own serialization).
import { DecodeError as CometDecodeError } from '../../../shared/cometbft/decode-core';
import { decodeGenesis } from '../../../shared/cometbft/decode-state';
import { toHex } from '../../../shared/cometbft/bytes';
import { parseAppState, type AppState } from '../../../shared/ledger/appstate';
import { canonicalString, type Json } from '../../../shared/ledger/encoding/canonical';
import { DecodeError as LedgerDecodeError } from '../../../shared/ledger/tx/fields';
import { IndexDataError } from './errors';
import type { RowsCtx } from './writer';

export interface GenesisInfo {
  chainId: string;
  initialHeight: number;
  app: AppState;
  /** The validator set the ledger adopts at InitChain (app_state.validators, else the genesis validators). */
  validators: { pub_key: string; power: number }[];
}

export function parseGenesisBytes(bytes: Uint8Array): GenesisInfo {
  try {
    const doc = decodeGenesis(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
    const app = parseAppState(doc.appState);
    const validators = app.validators ?? doc.validators
      .map((v) => ({ pub_key: toHex(v.pubKey).toLowerCase(), power: Number(v.power) }))
      .sort((a, b) => (a.pub_key < b.pub_key ? -1 : a.pub_key > b.pub_key ? 1 : 0));
    return { chainId: doc.chainId, initialHeight: Number(doc.initialHeight), app, validators };
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof CometDecodeError || e instanceof LedgerDecodeError) throw new IndexDataError(0, 'genesis', e.message);
    throw e;
  }
}

export function indexGenesis(ctx: RowsCtx, g: GenesisInfo): void {
  const sql = ctx.core;
  for (const o of g.app.organisations) {
    sql.run('INSERT INTO organisations (id, name, kind, status, admitted_height, admitted_by_proposal) VALUES (?, ?, ?, \'active\', 0, 0)', [o.id, o.name, o.kind]);
  }
  for (const m of g.app.members) {
    sql.run('INSERT INTO members (pubkey, org, roles, status, start_height, added_by) VALUES (?, ?, ?, \'active\', 0, \'genesis\')', [m.pubkey, m.org, m.roles.join(',')]);
  }
  for (const p of g.app.patients ?? []) {
    ctx.shard.run('INSERT INTO patients (pubkey, org, registered_by, height) VALUES (?, ?, \'genesis\', 0)', [p.pubkey, p.org]);
  }
  for (const pk of g.app.board) sql.run('INSERT INTO board_changes (height, proposal_id, pubkey, change) VALUES (0, 0, ?, \'add\')', [pk]);
  sql.run('INSERT INTO policy_versions (version, proposal_id, height, changed, params_json) VALUES (1, 0, 0, \'\', ?)', [canonicalString(g.app.policy as unknown as Json)]);
  for (const v of g.validators) sql.run('INSERT INTO validator_changes (height, pub_key, power) VALUES (0, ?, ?)', [v.pub_key, v.power]);
}
