// Everything the replica stores for a run of heights, from one endpoint: /block, /commit,
// /validators (all pages) and /block_results per height, packed into batch POSTs.

import { mapLimit } from './concurrency';
import { NotReadyError, type HeightPayloads } from './height-checks';
import { VALIDATORS_PER_PAGE, type RpcCall, type RpcClient, type RpcResult } from './rpc-client';
import { RpcClientError, isHeightUnavailable } from './rpc-errors';

const PER_HEIGHT = 4;

export interface FetchedHeights {
  heights: HeightPayloads[];
  /** /block at to + 1 when asked for: its last_commit shows which commit for `to` is canonical. */
  next?: RpcResult;
}

export async function fetchHeights(client: RpcClient, from: number, to: number, concurrency: number, signal?: AbortSignal, withNext = false): Promise<FetchedHeights> {
  const calls: RpcCall[] = [];
  for (let h = from; h <= to; h++) {
    calls.push(
      { method: 'block', params: { height: h } },
      { method: 'commit', params: { height: h } },
      { method: 'validators', params: { height: h, page: 1, per_page: VALIDATORS_PER_PAGE } },
      { method: 'block_results', params: { height: h } },
    );
  }
  if (withNext) calls.push({ method: 'block', params: { height: to + 1 } });
  const groups: RpcCall[][] = [];
  // Whole heights per POST where the batch limit allows it.
  const per = Math.max(1, Math.floor(client.maxBatch / PER_HEIGHT)) * PER_HEIGHT;
  for (let i = 0; i < calls.length; i += per) groups.push(calls.slice(i, i + per));
  const outcomes = (await mapLimit(groups, concurrency, (g) => client.batch(g, signal))).flat();

  let next: RpcResult | undefined;
  if (withNext) {
    const n = outcomes.pop()!;
    if (n instanceof RpcClientError && !isHeightUnavailable(n)) throw n;
    if (!(n instanceof RpcClientError)) next = n;
  }
  const out: HeightPayloads[] = [];
  for (let i = 0; i < outcomes.length; i += PER_HEIGHT) {
    const h = from + i / PER_HEIGHT;
    const r = outcomes.slice(i, i + PER_HEIGHT).map((o) => {
      if (o instanceof RpcClientError) throw isHeightUnavailable(o) ? new NotReadyError(h, `${o.method} ${h}: ${o.detail}`) : o;
      return o;
    }) as RpcResult[];
    out.push({ block: r[0]!, commit: r[1]!, validators: await client.validatorsRest(h, r[2]!, signal), blockResults: r[3]! });
  }
  return next ? { heights: out, next } : { heights: out };
}
