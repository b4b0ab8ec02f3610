// The replicas of this user: pick one to open; each shows its chain, heights and verification.
import type { ReplicaSummary } from '../../../../shared/api';
import { fmtInt } from '../../format';
import { Status, VERIFICATION_WORD, verificationTone } from '../../ui/Status';

const KIND = { demo: 'Embedded demo', network: 'Network profile', import: 'Imported bundle' } as const;

export function ReplicaList({ replicas, openId, verifying, disabled, onOpen }: {
  replicas: ReplicaSummary[];
  openId: string | null;
  /** The open replica is being verified right now. */
  verifying: boolean;
  disabled: boolean;
  onOpen: (id: string) => void;
}) {
  if (replicas.length === 0) return <p className="muted">No replicas yet. Create a network profile or import a bundle.</p>;
  return (
    <ul className="replica-list" aria-label="Replicas">
      {replicas.map((r) => (
        <li key={r.id}>
          <button
            type="button"
            className="replica-item"
            aria-current={r.id === openId ? 'true' : undefined}
            disabled={disabled && r.id !== openId}
            onClick={() => onOpen(r.id)}
            data-testid={`replica-${r.id}`}
          >
            <span className="replica-name">{r.name}</span>
            <span className="replica-meta muted">
              {KIND[r.kind]} · {r.chainId ?? 'chain unknown'}
            </span>
            <span className="replica-meta">
              {verifying && r.id === openId ? <Status tone="running">Verifying…</Status> : <Status tone={verificationTone(r.verification.state)}>{VERIFICATION_WORD[r.verification.state]}</Status>}
              <span className="num muted">{r.heights.complete ? `${fmtInt(r.heights.complete)} blocks` : 'empty'}</span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
