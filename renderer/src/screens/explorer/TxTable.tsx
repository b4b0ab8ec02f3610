// Transactions in a list: position, what it is in the ledger's terms, signer, result.
import type { TxSummaryView } from '../../../../shared/api';
import { hashOf } from '../../route';
import { shortHash } from '../../format';
import { CopyButton } from '../../ui/Hash';
import { Status } from '../../ui/Status';

export function TxTable({ txs, showHeight }: { txs: TxSummaryView[]; showHeight?: boolean }) {
  return (
    <table className="table" aria-label="Transactions" data-testid="tx-table">
      <thead>
        <tr>
          <th className="num-col">{showHeight ? 'Height:index' : 'Index'}</th>
          <th>Kind</th>
          <th>What</th>
          <th>Signer</th>
          <th>Result</th>
        </tr>
      </thead>
      <tbody>
        {txs.map((t) => (
          <tr key={`${t.id}-${t.height}-${t.index}`} data-testid="tx-row" data-kind={t.kind ?? ''}>
            <td className="num-col">{showHeight ? `${t.height}:${t.index}` : t.index}</td>
            <td className="nowrap">
              <code>{t.kind ?? 'undecodable'}</code>
            </td>
            <td>
              <a href={hashOf('explorer', 'tx', t.id)}>{t.title}</a>
            </td>
            <td className="nowrap">
              {t.signer ? (
                <span className="inline">
                  <a className="hash" href={hashOf('explorer', 'key', t.signer)} title={t.signer}>
                    {shortHash(t.signer)}
                  </a>
                  <CopyButton value={t.signer} label="signer" />
                </span>
              ) : (
                '–'
              )}
            </td>
            <td>{t.code === 0 ? <Status tone="ok">Accepted</Status> : <Status tone="fail">{`Refused (${t.code})`}</Status>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
