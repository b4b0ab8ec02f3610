// Every failure: height (a link to the block), check, expected, found.
import type { ReportView } from '../../../../shared/api';
import { fmtInt } from '../../format';
import { hashOf } from '../../route';

export function Failures({ report: r }: { report: ReportView }) {
  const all = r.failures.concat(r.haltedBy && !r.failures.some((f) => f.height === r.haltedBy!.height && f.check === r.haltedBy!.check) ? [r.haltedBy] : []);
  if (all.length === 0) {
    return (
      <p className="muted" data-testid="failures-none">
        No check failed at any height.
      </p>
    );
  }
  return (
    <>
      <table className="table" aria-label="Failures" data-testid="failures">
        <thead>
          <tr>
            <th className="num-col">Height</th>
            <th>Check</th>
            <th>Expected</th>
            <th>Found</th>
          </tr>
        </thead>
        <tbody>
          {all.map((f, i) => (
            <tr key={`${f.height}-${f.check}-${i}`} data-testid="failure-row" data-height={f.height}>
              <td className="num-col">{f.height > 0 ? <a href={hashOf('explorer', 'block', f.height)}>{f.height}</a> : <span title="the genesis document">genesis</span>}</td>
              <td>
                <code>{f.check}</code>
              </td>
              <td className="mono wrap">{f.expected}</td>
              <td className="mono wrap">
                {f.found}
                {f.detail ? <div className="muted">{f.detail}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.failuresOmitted ? <p className="muted">{fmtInt(r.failuresOmitted)} further failure(s) are counted but not listed here; the PDF and JSON reports list more.</p> : null}
      {r.haltedBy ? <p className="error-line">Verification halted at height {r.haltedBy.height}: nothing after it could be verified.</p> : null}
    </>
  );
}
