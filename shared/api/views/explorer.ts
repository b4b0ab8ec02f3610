// The explorer's views: blocks and transactions decoded into the consent ledger's terms,
// with the raw JSON beside them and each item's verification status.
import * as s from '../schema';
import type { Infer } from '../schema';
import { count, height, text, time, verification } from './common';

/** One decoded fact. `kind` tells the renderer how to show the value (hashes in monospace, shortened). */
export const field = s.object({
  label: s.string({ max: 80 }),
  value: text(4000),
  kind: s.literal('text', 'hash', 'key', 'org', 'height', 'time', 'code', 'tx', 'list'),
});
export type FieldView = Infer<typeof field>;

export const txSummary = s.object({
  id: s.string({ max: 64 }),
  height,
  index: count,
  kind: s.nullable(s.string({ max: 40 })),
  /** The transaction in a few words ("consent granted to hospital-a for TREAT"). */
  title: text(300),
  signer: s.nullable(s.string({ max: 64 })),
  code: count,
});
export type TxSummaryView = Infer<typeof txSummary>;

export const blockSummary = s.object({
  height,
  hash: s.string({ max: 64 }),
  time,
  proposer: s.string({ max: 64 }),
  txCount: count,
  txFailed: count,
  verification,
});
export type BlockSummaryView = Infer<typeof blockSummary>;

const failureRow = s.object({ check: s.string({ max: 80 }), expected: text(), found: text(), detail: s.nullable(text()) });

export const blockView = s.object({
  summary: blockSummary,
  header: s.array(field, { max: 40 }),
  failures: s.array(failureRow, { max: 200 }),
  txs: s.array(txSummary, { max: 10_000 }),
  /** Governance tallies and executions of this block, decoded. */
  events: s.array(s.object({ type: s.string({ max: 80 }), fields: s.array(field, { max: 40 }) }), { max: 200 }),
  /** The /block result as stored in the replica, pretty-printed (cut at 256 KiB). */
  raw: text(300_000),
  rawTruncated: s.boolean(),
});
export type BlockView = Infer<typeof blockView>;

export const txView = s.object({
  summary: txSummary,
  verification,
  blockTime: s.nullable(time),
  /** What the transaction says, in the ledger's terms. */
  decoded: s.array(field, { max: 60 }),
  /** What the ledger decided (code, log, access decision). */
  outcome: s.array(field, { max: 40 }),
  raw: text(300_000),
  alsoAt: s.array(s.object({ height, index: count, code: count }), { max: 100 }),
});
export type TxView = Infer<typeof txView>;

export const searchHit = s.object({
  type: s.literal('block', 'tx', 'record', 'consent', 'access', 'patient', 'member', 'proxy', 'organisation', 'proposal', 'validator'),
  key: s.string({ max: 100 }),
  label: text(300),
  height: s.nullable(height),
  /** Where to go: a block, a transaction (record, consent and access ids are tx ids), a key (pseudonym, member) or an organisation. */
  open: s.nullable(s.object({ block: s.optional(height), tx: s.optional(s.string({ max: 64 })), key: s.optional(s.string({ max: 64 })), org: s.optional(s.string({ max: 64 })) })),
});
export type SearchHitView = Infer<typeof searchHit>;

export const explorerCounts = s.object({
  lastHeight: height,
  blocks: count,
  txs: count,
  txsFailed: count,
  organisations: count,
  members: count,
  patients: count,
  records: count,
  consents: count,
  accesses: count,
  proposals: count,
  verified: count,
  failed: count,
});
export type ExplorerCountsView = Infer<typeof explorerCounts>;

/** A party of the ledger (a patient pseudonym, a member key, an organisation): who it is and its transactions. */
export const partyView = s.object({
  title: s.string({ max: 200 }),
  facts: s.array(field, { max: 80 }),
  groups: s.array(s.object({ title: s.string({ max: 120 }), total: count, txs: s.array(txSummary, { max: 100 }) }), { max: 8 }),
});
export type PartyView = Infer<typeof partyView>;
