// Explorer: blocks and transactions decoded into the consent ledger's terms, searchable by
// height, hash, transaction id, pseudonym, organisation or member, with the raw JSON beside
// the decoded view and each item's verification status.
import { forwardRef, useEffect, useId, useState } from 'react';
import { useConsole } from '../../api/context';
import { useQuery } from '../../api/useQuery';
import { fmtInt, plural } from '../../format';
import { hashOf, type Route } from '../../route';
import { Icon } from '../../shell/Icon';
import { ScreenFrame } from '../ScreenFrame';
import { BlockDetail } from './BlockDetail';
import { BlockList } from './BlockList';
import { SearchResults } from './SearchResults';
import { Party } from './Party';
import { TxDetail } from './TxDetail';

export const ExplorerScreen = forwardRef<HTMLHeadingElement, { route: Route }>(function ExplorerScreen({ route }, ref) {
  const { transport, status } = useConsole();
  const open = status?.replicas.find((r) => r.id === status.openId) ?? null;
  const [kind, arg] = route.rest;
  const [text, setText] = useState(kind === 'search' ? (arg ?? '') : '');
  const inputId = useId();
  // Re-read when the replica changes, grows, is indexed or re-verified.
  const reload = open && status ? `${open.id}:${open.heights.complete}:${open.verification.at ?? ''}:${status.verify.step ?? status.verify.state}` : 'none';
  const counts = useQuery(transport && open ? reload : null, () => transport!.call('explorer.counts', {}).then((r) => r.counts));
  useEffect(() => {
    setText(kind === 'search' ? (arg ?? '') : '');
  }, [kind, arg]);

  const c = counts.data;
  return (
    <ScreenFrame ref={ref} id="explorer" title="Explorer" purpose="Blocks and transactions of the replica, in the consent ledger’s terms, with each item’s verification status.">
      {!status ? null : !open ? (
        <section className="panel" data-testid="explorer-empty">
          <h2 className="panel-title">No replica open</h2>
          <p>
            The explorer reads the open replica. Open one under <a href={hashOf('sync')}>Networks and sync</a>.
          </p>
        </section>
      ) : (
        <>
          <form
            className="search"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              const q = text.trim();
              if (!q) return;
              if (/^\d{1,15}$/.test(q)) window.location.hash = hashOf('explorer', 'block', Number(q)).slice(1);
              else window.location.hash = hashOf('explorer', 'search', q).slice(1);
            }}
          >
            <label htmlFor={inputId} className="visually-hidden">
              Search the replica
            </label>
            <Icon name="search" />
            <input
              id={inputId}
              className="input"
              type="search"
              spellCheck={false}
              placeholder="Height, block hash, transaction / record / consent / access id, pseudonym, member key, organisation, #proposal"
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="explorer-search"
            />
            <button type="submit" className="btn is-primary">
              Search
            </button>
          </form>
          {c ? (
            <p className="counts muted num" data-testid="explorer-counts">
              {[
                plural(c.blocks, 'block'), plural(c.txs, 'transaction'), plural(c.organisations, 'organisation'), plural(c.members, 'member'),
                plural(c.patients, 'patient pseudonym'), plural(c.records, 'record'), plural(c.consents, 'consent'), plural(c.accesses, 'access', 'accesses'),
                plural(c.proposals, 'proposal'),
              ].join(' · ')}{' '}
              · <strong>{fmtInt(c.verified)}</strong> heights verified
              {c.failed ? <strong className="is-fail-text">, {fmtInt(c.failed)} failed</strong> : null}
            </p>
          ) : null}
          {kind === 'block' && arg && /^\d+$/.test(arg) ? (
            <BlockDetail height={Number(arg)} reload={reload} />
          ) : kind === 'tx' && arg ? (
            <TxDetail id={arg} reload={reload} />
          ) : kind === 'search' && arg ? (
            <SearchResults q={arg} reload={reload} />
          ) : kind === 'key' && arg ? (
            <Party keyHex={arg} org={null} reload={reload} />
          ) : kind === 'org' && arg ? (
            <Party keyHex={null} org={arg} reload={reload} />
          ) : (
            <BlockList reload={reload} />
          )}
        </>
      )}
    </ScreenFrame>
  );
});
