// The latest blocks, newest first, with paging back in height.
import { useState } from 'react';
import { useConsole } from '../../api/context';
import { useQuery } from '../../api/useQuery';
import { fmtInt, fmtTime } from '../../format';
import { hashOf } from '../../route';
import { ErrorLine } from '../../ui/ErrorLine';
import { Hash } from '../../ui/Hash';
import { Status, VERIFICATION_WORD, verificationTone } from '../../ui/Status';

const PAGE = 25;

export function BlockList({ reload }: { reload: string }) {
  const { transport } = useConsole();
  const [before, setBefore] = useState<number[]>([]); // a stack of page starts, for Newer
  const top = before[before.length - 1] ?? null;
  const q = useQuery(transport ? `${top}:${reload}` : null, () => transport!.call('explorer.blocks', { before: top, limit: PAGE }).then((r) => r.blocks));
  if (q.error) return <ErrorLine error={q.error} />;
  const blocks = q.data ?? [];
  const lowest = blocks[blocks.length - 1]?.height ?? 0;
  return (
    <section aria-labelledby="blocks-title" data-testid="block-list">
      <div className="panel-head">
        <h2 id="blocks-title" className="section-title">
          {top === null ? 'Latest blocks' : `Blocks below ${fmtInt(top)}`}
        </h2>
        <span className="pager">
          <button type="button" className="btn is-small" disabled={before.length === 0} onClick={() => setBefore((b) => b.slice(0, -1))}>
            Newer
          </button>
          <button type="button" className="btn is-small" disabled={blocks.length < PAGE || lowest <= 1} onClick={() => setBefore((b) => [...b, lowest])}>
            Older
          </button>
        </span>
      </div>
      {q.data === undefined ? (
        <p className="muted">Loading…</p>
      ) : blocks.length === 0 ? (
        <p className="muted">No blocks indexed yet.</p>
      ) : (
        <table className="table" aria-label="Blocks">
          <thead>
            <tr>
              <th className="num-col">Height</th>
              <th>Time</th>
              <th className="num-col">Transactions</th>
              <th>Block hash</th>
              <th>Proposer</th>
              <th>Verification</th>
            </tr>
          </thead>
          <tbody>
            {blocks.map((b) => (
              <tr key={b.height} data-testid="block-row">
                <td className="num-col">
                  <a href={hashOf('explorer', 'block', b.height)}>{fmtInt(b.height)}</a>
                </td>
                <td className="num nowrap">{fmtTime(b.time)}</td>
                <td className="num-col">
                  {fmtInt(b.txCount)}
                  {b.txFailed ? <span className="muted"> ({b.txFailed} refused)</span> : null}
                </td>
                <td>
                  <Hash value={b.hash} label="block hash" />
                </td>
                <td>
                  <Hash value={b.proposer} label="proposer address" head={6} tail={4} />
                </td>
                <td>
                  <Status tone={verificationTone(b.verification)}>{VERIFICATION_WORD[b.verification]}</Status>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
