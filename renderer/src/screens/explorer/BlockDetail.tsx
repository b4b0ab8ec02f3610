// One block: the header decoded beside the raw /block result, its verification status (with
// any failures), its transactions in the ledger's terms, and the events of the block
// (governance tallies, validator updates).
import { useConsole } from '../../api/context';
import { useQuery } from '../../api/useQuery';
import { fmtInt } from '../../format';
import { hashOf } from '../../route';
import { Icon } from '../../shell/Icon';
import { ErrorLine } from '../../ui/ErrorLine';
import { Status, VERIFICATION_WORD, verificationTone } from '../../ui/Status';
import { Fields } from './Fields';
import { Raw } from './Raw';
import { TxTable } from './TxTable';

/** Transactions per kind, most frequent first: [kind, count, refused]. */
function kindCounts(txs: { kind: string | null; code: number }[]): [string, number, number][] {
  const m = new Map<string, [number, number]>();
  for (const t of txs) {
    const k = t.kind ?? 'undecodable';
    const e = m.get(k) ?? [0, 0];
    e[0]++;
    if (t.code !== 0) e[1]++;
    m.set(k, e);
  }
  return [...m.entries()].map(([k, [n, r]]): [string, number, number] => [k, n, r]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export function BlockDetail({ height, reload }: { height: number; reload: string }) {
  const { transport, status } = useConsole();
  const q = useQuery(transport ? `${height}:${reload}` : null, () => transport!.call('explorer.block', { height }).then((r) => r.block));
  const last = status?.replicas.find((r) => r.id === status.openId)?.heights.complete ?? 0;
  if (q.error) return <ErrorLine error={q.error} />;
  if (q.data === undefined) return <p className="muted">Loading block {height}…</p>;
  const b = q.data;
  const disputes = (status?.sync.endpoints ?? []).filter((e) => e.problem?.height === height);
  if (!b) {
    if (status?.verify.step === 'indexing') return <p className="muted">Indexing the replica; block {fmtInt(height)} appears when it is indexed…</p>;
    return (
      <section className="panel" data-testid="block-missing">
        <h2 className="panel-title">Block {fmtInt(height)} is not in this replica</h2>
        <p>
          The replica holds heights up to {fmtInt(last)}{last ? '' : ' (none yet)'}; the explorer shows what is indexed after the sync. <a href={hashOf('explorer')}>Back to the latest blocks</a>.
        </p>
      </section>
    );
  }
  return (
    <section className="detail" aria-labelledby="block-title" data-testid="block-detail">
      <div className="panel-head">
        <h2 id="block-title" className="panel-title">
          Block {fmtInt(b.summary.height)}
        </h2>
        <Status tone={verificationTone(b.summary.verification)} testId="block-verification">
          {VERIFICATION_WORD[b.summary.verification]}
        </Status>
        <span className="pager">
          <a className={`btn is-small${height <= 1 ? ' is-disabled' : ''}`} href={hashOf('explorer', 'block', Math.max(1, height - 1))} aria-label="Previous block">
            <Icon name="left" /> {height - 1}
          </a>
          <a className={`btn is-small${height >= last ? ' is-disabled' : ''}`} href={hashOf('explorer', 'block', height + 1)} aria-label="Next block">
            {height + 1} <Icon name="right" />
          </a>
        </span>
      </div>
      {b.failures.length ? (
        <div className="banner is-error" data-testid="block-failures">
          <strong>Verification failed at this height.</strong>
          <ul>
            {b.failures.map((f, i) => (
              <li key={i}>
                <code>{f.check}</code>: expected <span className="mono">{f.expected}</span>, found <span className="mono">{f.found}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {disputes.map((e) => (
        <div className="banner is-warn" key={e.endpoint} data-testid="block-dispute">
          <strong>
            Endpoint <span className="mono">{e.endpoint}</span> was set aside at this height
          </strong>{' '}
          ({e.problem!.check ?? e.problem!.kind}): it served <span className="mono wrap">{e.problem!.found ?? 'other data'}</span> where{' '}
          <span className="mono wrap">{e.problem!.expected ?? 'the checked value'}</span> was expected. The block below is what the other endpoints served; its status is the verifier’s.
        </div>
      ))}
      <div className="side-by-side">
        <div>
          <h3 className="sub-title">Decoded</h3>
          <Fields fields={b.header} testId="block-header" />
          {b.txs.length ? (
            <>
              <h3 className="sub-title">In this block</h3>
              <ul className="kind-counts" data-testid="block-kinds">
                {kindCounts(b.txs).map(([kind, n, refused]) => (
                  <li key={kind}>
                    <span className="num">{n}</span> × <code>{kind}</code>
                    {refused ? <span className="muted"> ({refused} refused)</span> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {b.events.length ? (
            <>
              <h3 className="sub-title">Events of this block</h3>
              {b.events.map((e, i) => (
                <div key={i} className="event">
                  <code>{e.type}</code>
                  <Fields fields={e.fields} />
                </div>
              ))}
            </>
          ) : null}
        </div>
        <Raw text={b.raw} truncated={b.rawTruncated} title="Raw /block result" />
      </div>
      <h3 className="sub-title">Transactions ({fmtInt(b.txs.length)})</h3>
      {b.txs.length ? <TxTable txs={b.txs} /> : <p className="muted">No transactions in this block.</p>}
    </section>
  );
}
