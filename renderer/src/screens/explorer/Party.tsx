// A party of the ledger: a patient pseudonym, a member key or an organisation, with what the
// replica says about it and its transactions (signed, consents, accesses).
import { useConsole } from '../../api/context';
import { useQuery } from '../../api/useQuery';
import { fmtInt } from '../../format';
import { hashOf } from '../../route';
import { ErrorLine } from '../../ui/ErrorLine';
import { Fields } from './Fields';
import { TxTable } from './TxTable';

export function Party({ keyHex, org, reload }: { keyHex: string | null; org: string | null; reload: string }) {
  const { transport } = useConsole();
  const valid = keyHex !== null ? /^[0-9a-f]{64}$/.test(keyHex) : org !== null && /^[a-z0-9][a-z0-9-]{1,47}$/.test(org);
  const q = useQuery(transport && valid ? `${keyHex ?? org}:${reload}` : null, () => transport!.call('explorer.party', { key: keyHex, org }).then((r) => r.party));
  if (!valid) return <ErrorLine error={keyHex !== null ? 'Not a public key (64 lower-case hex digits).' : 'Not an organisation id.'} />;
  if (q.error) return <ErrorLine error={q.error} />;
  if (q.data === undefined) return <p className="muted">Loading…</p>;
  const p = q.data;
  if (!p) {
    return (
      <section className="panel" data-testid="party-missing">
        <h2 className="panel-title">Nothing in this replica names it</h2>
        <p>
          <span className="mono wrap">{keyHex ?? org}</span> · <a href={hashOf('explorer')}>Back to the latest blocks</a>
        </p>
      </section>
    );
  }
  return (
    <section className="detail" aria-labelledby="party-title" data-testid="party">
      <h2 id="party-title" className="panel-title">
        {p.title}
      </h2>
      <Fields fields={p.facts} testId="party-facts" />
      {p.groups.map((g) => (
        <div key={g.title}>
          <h3 className="sub-title">
            {g.title} ({fmtInt(g.total)}
            {g.total > g.txs.length ? `, newest ${g.txs.length} shown` : ''})
          </h3>
          {g.txs.length ? <TxTable txs={g.txs} showHeight /> : <p className="muted">None.</p>}
        </div>
      ))}
    </section>
  );
}
