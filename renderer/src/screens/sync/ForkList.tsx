// Fork evidence: two or more signed headers for one height from different endpoints.
import type { ForkView } from '../../../../shared/api';
import { fmtTime } from '../../format';
import { hashOf } from '../../route';
import { Hash } from '../../ui/Hash';
import { Status } from '../../ui/Status';

export function ForkList({ forks }: { forks: ForkView[] }) {
  if (forks.length === 0) {
    return (
      <p className="muted" data-testid="forks-none">
        No fork evidence: every endpoint served the same signed headers.
      </p>
    );
  }
  return (
    <ul className="fork-list" data-testid="forks">
      {forks.map((f) => (
        <li key={`${f.height}-${f.detectedAt}`} className="fork">
          <div className="fork-head">
            <Status tone={f.resolution === 'preferred' ? 'warn' : 'fail'}>{f.resolution === 'preferred' ? 'Fork, resolved' : 'Fork, unresolved'}</Status>
            <span>
              at height <a href={hashOf('explorer', 'block', f.height)}>{f.height}</a>
            </span>
            <span className="muted">{fmtTime(f.detectedAt)}</span>
          </div>
          <p className="muted">{f.note}</p>
          <ul className="fork-sides">
            {f.sides.map((s) => (
              <li key={s.blockId}>
                <Hash value={s.blockId} label="block id" /> from <span className="mono">{s.endpoints.join(', ')}</span>:{' '}
                {s.certified ? <Status tone="ok">Certified</Status> : <Status tone="fail">Not certified</Status>} <span className="muted">{s.verdict}</span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
