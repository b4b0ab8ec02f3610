// Each check group and its status (shared/api/check-groups.ts, the same list the PDF prints).
import { CHECK_GROUPS, groupStatuses, type ReportView } from '../../../../shared/api';
import { Status } from '../../ui/Status';

export function Checks({ report: r }: { report: ReportView }) {
  const st = groupStatuses(r.failures.concat(r.haltedBy ? [r.haltedBy] : []), r.heights.from !== null);
  return (
    <table className="table" aria-label="Checks" data-testid="checks">
      <thead>
        <tr>
          <th>Check</th>
          <th>What was verified</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {CHECK_GROUPS.map((g) => {
          const s = st.get(g.id)!;
          return (
            <tr key={g.id} data-testid={`check-${g.id}`} data-status={s.status}>
              <td className="strong nowrap">{g.title}</td>
              <td className="muted">{g.rule}</td>
              <td className="nowrap">
                {s.status === 'passed' ? <Status tone="ok">Passed</Status> : s.status === 'failed' ? <Status tone="fail">{`Failed (${s.failures})`}</Status> : <Status tone="unverified">Not run</Status>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
