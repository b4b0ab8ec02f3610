// Methods of the explorer: read-only queries on the open replica's index.
import * as s from '../schema';
import { height } from '../views/common';
import { blockSummary, blockView, explorerCounts, partyView, searchHit, txView } from '../views/explorer';
import { method } from './method';

const txId = s.string({ min: 1, max: 64, pattern: /^[0-9A-Fa-f]+$/ });

export const explorerMethods = {
  'explorer.counts': method({
    summary: 'What the open replica holds, in the ledger’s terms, and how much of it is verified.',
    request: s.object({}),
    response: s.object({ counts: s.nullable(explorerCounts) }),
  }),
  'explorer.search': method({
    summary: 'Find a block (height or hash), a transaction, record, consent or access id, a pseudonym, member, organisation or proposal.',
    request: s.object({ q: s.string({ max: 200 }) }),
    response: s.object({ hits: s.array(searchHit, { max: 100 }) }),
  }),
  'explorer.blocks': method({
    summary: 'Blocks, newest first, below a height (null: from the top).',
    request: s.object({ before: s.nullable(height), limit: s.integer({ min: 1, max: 200 }) }),
    response: s.object({ blocks: s.array(blockSummary, { max: 200 }) }),
  }),
  'explorer.block': method({
    summary: 'One block: header, transactions and events decoded, raw JSON, verification status.',
    request: s.object({ height }),
    response: s.object({ block: s.nullable(blockView) }),
  }),
  'explorer.tx': method({
    summary: 'One transaction decoded into the ledger’s terms, with its raw JSON and outcome.',
    request: s.object({ id: txId }),
    response: s.object({ tx: s.nullable(txView) }),
  }),
  'explorer.party': method({
    summary: 'A patient pseudonym, member key or organisation: who it is, and its transactions (signed, consents, accesses).',
    request: s.object({
      key: s.nullable(s.string({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/ })),
      org: s.nullable(s.string({ min: 2, max: 48, pattern: /^[a-z0-9][a-z0-9-]{1,47}$/ })),
    }),
    response: s.object({ party: s.nullable(partyView) }),
  }),
} as const;
