// A long task's progress: the bar, what it is doing, rate and ETA, and the way to stop it.
import { fmtDuration, fmtInt, fmtRate } from '../format';

export interface ProgressProps {
  label: string;
  done: number;
  total: number;
  /** Units per second and their name ("blocks/s"). */
  rate: number;
  unit: string;
  etaSeconds: number | null;
  /** Work fetched ahead of `done` (e.g. heights downloaded but not yet written in order): a lighter segment. */
  ahead?: number;
  detail?: string;
  onCancel?: (() => void) | null;
  cancelLabel?: string;
  testId?: string;
}

export function Progress(p: ProgressProps) {
  const pct = p.total > 0 ? Math.min(100, Math.max(0, (100 * p.done) / p.total)) : 0;
  const aheadPct = p.total > 0 && p.ahead ? Math.min(100 - pct, Math.max(0, (100 * p.ahead) / p.total)) : 0;
  return (
    <div className="progress" data-testid={p.testId}>
      <div className="progress-head">
        <span className="progress-label">{p.label}</span>
        <span className="num muted">
          {fmtInt(p.done)} / {fmtInt(p.total)} · {fmtRate(p.rate)} {p.unit} · ETA {fmtDuration(p.etaSeconds)}
        </span>
        {p.onCancel ? (
          <button type="button" className="btn is-small" onClick={p.onCancel}>
            {p.cancelLabel ?? 'Cancel'}
          </button>
        ) : null}
      </div>
      <div className="progress-track" role="progressbar" aria-label={p.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} data-ahead={Math.round(aheadPct)}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
        {aheadPct > 0 ? <div className="progress-ahead" style={{ width: `${aheadPct}%` }} /> : null}
      </div>
      {p.detail ? <div className="progress-detail muted">{p.detail}</div> : null}
    </div>
  );
}
