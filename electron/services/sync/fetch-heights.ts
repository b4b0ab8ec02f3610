// Everything the replica stores for a run of heights, from one endpoint: /block, /commit,
// /validators (all pages) and /block_results per height, packed into batch POSTs; and, when
// asked, the header above the last one (/blockchain for that one height: its block meta, not
// the whole block), which shows the canonical commit of the last height.
//
// `each` (e.g. the height checks) runs on a height as soon as the POST holding it is answered,
// while the other POSTs are still in flight: the checks' CPU overlaps the node's work instead
// of following it.

import { cpuTurn, mapLimit } from './concurrency';
import { NotReadyError, type HeightPayloads } from './height-checks';
import { scanBlockResults } from './payload-scan';
import { VALIDATORS_PER_PAGE, type BatchOutcome, type ExchangeLimit, type RpcCall, type RpcClient, type RpcResult } from './rpc-client';
import { RpcClientError, isHeightUnavailable } from './rpc-errors';

const PER_HEIGHT = 4;

export interface FetchedHeights<T = HeightPayloads> {
  heights: T[];
  /** /blockchain for to + 1 when asked for: that header's last_commit_hash shows which commit for `to` is canonical. */
  next?: RpcResult;
}

export async function fetchHeights<T = HeightPayloads>(
  client: RpcClient, from: number, to: number, concurrency: number, signal?: AbortSignal, withNext = false,
  each: (height: number, p: HeightPayloads) => T = (_h, p) => p as T,
  /** Wraps each POST's exchange (e.g. a per-endpoint cap shared with other chunks); parsing runs outside it. */
  limit?: ExchangeLimit,
): Promise<FetchedHeights<T>> {
  // Whole heights per POST where the batch limit allows it.
  const perPost = Math.max(1, Math.floor(client.maxBatch / PER_HEIGHT));
  const groups: { from: number; to: number; next: boolean }[] = [];
  for (let h = from; h <= to; h += perPost) groups.push({ from: h, to: Math.min(to, h + perPost - 1), next: false });
  if (withNext) {
    const last = groups[groups.length - 1];
    if (last && (last.to - last.from + 1) * PER_HEIGHT < Math.max(PER_HEIGHT, client.maxBatch)) last.next = true;
    else groups.push({ from: to + 1, to, next: true }); // the next header alone
  }

  const out = new Array<T>(to - from + 1);
  let next: RpcResult | undefined;
  await mapLimit(groups, concurrency, async (g) => {
    const calls: RpcCall[] = [];
    for (let h = g.from; h <= g.to; h++) {
      calls.push(
        { method: 'block', params: { height: h } },
        { method: 'commit', params: { height: h } },
        { method: 'validators', params: { height: h, page: 1, per_page: VALIDATORS_PER_PAGE } },
        { method: 'block_results', params: { height: h }, scan: scanBlockResults },
      );
    }
    if (g.next) calls.push({ method: 'blockchain', params: { minHeight: to + 1, maxHeight: to + 1 } });
    const outcomes = await client.batch(calls, signal, limit);
    if (g.next) {
      const n = outcomes.pop()!;
      if (n instanceof RpcClientError && !isHeightUnavailable(n)) throw n;
      if (!(n instanceof RpcClientError)) next = n;
    }
    for (let i = 0; i < outcomes.length; i += PER_HEIGHT) {
      const h = g.from + i / PER_HEIGHT;
      const r = outcomes.slice(i, i + PER_HEIGHT).map((o) => {
        if (o instanceof RpcClientError) throw isHeightUnavailable(o) ? new NotReadyError(h, `${o.method} ${h}: ${o.detail}`) : o;
        return o;
      }) as RpcResult[];
      await cpuTurn();
      out[h - from] = each(h, { block: r[0]!, commit: r[1]!, validators: await client.validatorsRest(h, r[2]!, signal), blockResults: r[3]! });
      // what `each` kept is all that stays: the parsed results of this height can go
      outcomes.fill(undefined as unknown as BatchOutcome, i, i + PER_HEIGHT);
    }
  });
  return next ? { heights: out, next } : { heights: out };
}
