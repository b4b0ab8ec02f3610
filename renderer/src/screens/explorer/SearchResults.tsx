// What a search string names: blocks, transactions, ledger objects, keys, organisations.
import type { SearchHitView } from '../../../../shared/api';
import { useConsole } from '../../api/context';
import { useQuery } from '../../api/useQuery';
import { hashOf } from '../../route';
import { ErrorLine } from '../../ui/ErrorLine';

const TYPE: Record<SearchHitView['type'], string> = {
  block: 'Block', tx: 'Transaction', record: 'Record', consent: 'Consent', access: 'Access', patient: 'Patient', member: 'Member', proxy: 'Proxy',
  organisation: 'Organisation', proposal: 'Proposal', validator: 'Validator',
};

function hrefOf(h: SearchHitView): string | null {
  if (!h.open) return null;
  if (h.open.tx) return hashOf('explorer', 'tx', h.open.tx);
  if (h.open.key) return hashOf('explorer', 'key', h.open.key);
  if (h.open.org) return hashOf('explorer', 'org', h.open.org);
  if (h.open.block !== undefined) return hashOf('explorer', 'block', h.open.block);
  return null;
}

export function SearchResults({ q, reload }: { q: string; reload: string }) {
  const { transport } = useConsole();
  const r = useQuery(transport ? `${q}:${reload}` : null, () => transport!.call('explorer.search', { q }).then((x) => x.hits));
  if (r.error) return <ErrorLine error={r.error} />;
  if (r.data === undefined) return <p className="muted">Searching…</p>;
  return (
    <section aria-labelledby="results-title" data-testid="search-results">
      <h2 id="results-title" className="section-title">
        {r.data.length ? `${r.data.length} result(s) for “${q}”` : `Nothing found for “${q}”`}
      </h2>
      {r.data.length === 0 ? (
        <p className="muted">
          Try a block height, a block hash, a transaction, record, consent or access id (in full or its first 6+ hex digits), a patient pseudonym or member key, an organisation id or name, or a proposal as “#2”.
        </p>
      ) : (
        <ul className="hits">
          {r.data.map((h) => {
            const href = hrefOf(h);
            return (
              <li key={`${h.type}:${h.key}`} data-testid="search-hit" data-type={h.type}>
                <span className="chip">{TYPE[h.type]}</span> {href ? <a href={href}>{h.label}</a> : <span>{h.label}</span>}
                {h.height !== null && h.height > 0 && !h.open?.block ? (
                  <span className="muted">
                    {' '}
                    · since <a href={hashOf('explorer', 'block', h.height)}>height {h.height}</a>
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
