// One transaction in the consent ledger's terms beside its raw JSON, with what the ledger
// decided and the verification status of its block.
import { useConsole } from '../../api/context';
import { useQuery } from '../../api/useQuery';
import { fmtTime } from '../../format';
import { hashOf } from '../../route';
import { ErrorLine } from '../../ui/ErrorLine';
import { Hash } from '../../ui/Hash';
import { Status, VERIFICATION_WORD, verificationTone } from '../../ui/Status';
import { Fields } from './Fields';
import { Raw } from './Raw';

export function TxDetail({ id, reload }: { id: string; reload: string }) {
  const { transport } = useConsole();
  const q = useQuery(transport ? `${id}:${reload}` : null, () => transport!.call('explorer.tx', { id }).then((r) => r.tx));
  if (q.error) return <ErrorLine error={q.error} />;
  if (q.data === undefined) return <p className="muted">Loading the transaction…</p>;
  const t = q.data;
  if (!t) {
    return (
      <section className="panel" data-testid="tx-missing">
        <h2 className="panel-title">No transaction with this id in the replica</h2>
        <p>
          <Hash value={id} full /> · <a href={hashOf('explorer')}>Back to the latest blocks</a>
        </p>
      </section>
    );
  }
  return (
    <section className="detail" aria-labelledby="tx-title" data-testid="tx-detail">
      <div className="panel-head">
        <h2 id="tx-title" className="panel-title">
          {t.summary.title}
        </h2>
        <Status tone={verificationTone(t.verification)} testId="tx-verification">
          {VERIFICATION_WORD[t.verification]}
        </Status>
      </div>
      <p className="muted">
        <code>{t.summary.kind ?? 'undecodable'}</code> · transaction <Hash value={t.summary.id} label="transaction id" /> · block{' '}
        <a href={hashOf('explorer', 'block', t.summary.height)}>{t.summary.height}</a>, index {t.summary.index} · {fmtTime(t.blockTime)}
      </p>
      <div className="side-by-side">
        <div>
          <h3 className="sub-title">Decoded</h3>
          <Fields fields={t.decoded} testId="tx-decoded" />
          <h3 className="sub-title">What the ledger decided</h3>
          <Fields fields={t.outcome} testId="tx-outcome" />
          {t.alsoAt.length ? (
            <p className="muted">
              The same bytes also appear at {t.alsoAt.map((a) => `${a.height}:${a.index} (code ${a.code})`).join(', ')}; a replayed copy is refused.
            </p>
          ) : null}
        </div>
        <Raw text={t.raw} title="Raw transaction and result" />
      </div>
    </section>
  );
}
