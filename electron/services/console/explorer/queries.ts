// The explorer's answers, from the open replica's index (electron/services/index) and, for
// the raw view, the replica store itself. Every answer is an API view (shared/api/views).
import type { BlockSummaryView, BlockView, ExplorerCountsView, FieldView, SearchHitView, TxView } from '../../../../shared/api';
import { counts, getBlock, getPatient, getTx, listBlocks, searchByText, type BlockSummary, type IndexDb, type SearchHit } from '../../index';
import { describeEvents, describeOutcome, describeTx, type Who } from './describe-tx';
import { summaryOf } from './party';

const RAW_MAX = 256 * 1024;
const dec = new TextDecoder();

/** Reads one stored record of the replica (the /block result), or undefined. */
export type RawBlock = (height: number) => Promise<Uint8Array | undefined>;

function who(ix: IndexDb): Who {
  return (key) => {
    if (!/^[0-9a-f]{64}$/.test(key)) return null;
    const m = ix.sql().get('SELECT org, roles, status FROM members WHERE pubkey = ?', [key]);
    if (m) return `member of ${String(m['org'])} (${String(m['roles'])}; ${String(m['status'])})`;
    const p = getPatient(ix, key);
    if (p) return `patient pseudonym (registered by ${p.org})`;
    return null;
  };
}

const txSummaryView = summaryOf;

function blockSummaryView(b: BlockSummary): BlockSummaryView {
  return { height: b.height, hash: b.hash, time: b.time, proposer: b.proposer, txCount: b.txCount, txFailed: b.txFailed, verification: b.verification };
}

export function explorerCounts(ix: IndexDb): ExplorerCountsView {
  const c = counts(ix);
  return {
    lastHeight: c.lastHeight, blocks: c.blocks, txs: c.txs, txsFailed: c.txsFailed, organisations: c.organisations, members: c.members, patients: c.patients,
    records: c.records, consents: c.consents, accesses: c.accesses, proposals: c.proposals, verified: c.verification.verified, failed: c.verification.failed,
  };
}

export function blocks(ix: IndexDb, before: number | null, limit: number): BlockSummaryView[] {
  return listBlocks(ix, { ...(before !== null ? { beforeHeight: before } : {}), limit }).map(blockSummaryView);
}

export async function block(ix: IndexDb, height: number, raw: RawBlock): Promise<BlockView | null> {
  const b = getBlock(ix, height);
  if (!b) return null;
  const f = (label: string, value: string, kind: FieldView['kind'] = 'text'): FieldView => ({ label, value, kind });
  const bytes = await raw(height);
  let rawText = '';
  if (bytes) {
    try {
      rawText = JSON.stringify(JSON.parse(dec.decode(bytes)), null, 2);
    } catch {
      rawText = dec.decode(bytes);
    }
  }
  return {
    summary: blockSummaryView(b),
    header: [
      f('Height', String(b.height), 'height'), f('Block hash', b.hash, 'hash'), f('Time', b.time, 'time'), f('Proposer', b.proposer, 'hash'),
      f('Transactions', `${b.txCount}${b.txFailed ? ` (${b.txFailed} refused by the ledger)` : ''}`),
      f('App hash (state after the previous block)', b.appHash, 'hash'), f('App hash after this block', b.resultsAppHash, 'hash'),
    ],
    failures: b.failures.slice(0, 200),
    txs: b.txs.map((t) => txSummaryView(ix, t)),
    events: describeEvents(b.events),
    raw: rawText.slice(0, RAW_MAX),
    rawTruncated: rawText.length > RAW_MAX,
  };
}

export function tx(ix: IndexDb, id: string): TxView | null {
  const d = getTx(ix, id);
  if (!d) return null;
  const described = describeTx(d.tx, d.result, who(ix));
  const blockRow = getBlock(ix, d.height);
  const raw = d.tx !== null ? JSON.stringify({ tx: d.tx, result: { code: d.code, codespace: d.codespace, log: d.log, data: d.result } }, null, 2) : `base64 ${d.rawBase64 ?? ''}`;
  return {
    summary: { id: d.id, height: d.height, index: d.index, kind: d.kind, title: described.title.slice(0, 300), signer: d.signer, code: Math.max(0, d.code) },
    verification: blockRow?.verification ?? 'unverified',
    blockTime: d.blockTime,
    decoded: described.fields.slice(0, 60),
    outcome: describeOutcome(d.code, d.codespace, d.log, d.result).slice(0, 40),
    raw: raw.slice(0, RAW_MAX),
    alsoAt: d.alsoAt.slice(0, 100),
  };
}

export { keyParty, orgParty } from './party';

function openOf(h: SearchHit): SearchHitView['open'] {
  switch (h.type) {
    case 'block': return { block: Number(h.key) };
    case 'tx':
    case 'record':
    case 'consent':
    case 'access': return { tx: h.key };
    case 'patient':
    case 'member':
    case 'proxy': return { key: h.key };
    case 'organisation': return { org: h.key };
    default: return h.height !== null && h.height > 0 ? { block: h.height } : null;
  }
}

export function search(ix: IndexDb, q: string): SearchHitView[] {
  return searchByText(ix, q, 100).map((h) => ({ type: h.type, key: h.key.slice(0, 100), label: h.label.slice(0, 300), height: h.height, open: openOf(h) }));
}
