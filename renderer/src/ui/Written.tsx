// What an export wrote, or that the dialog was cancelled.
import type { ExportResultView } from '../../../shared/api';
import { fmtInt } from '../format';
import { Status } from './Status';

export function Written({ result, testId }: { result: ExportResultView | undefined; testId?: string }) {
  if (!result) return null;
  if (result.cancelled) return <p className="muted">Cancelled.</p>;
  return (
    <p className="written" data-testid={testId}>
      <Status tone="ok">Written</Status> <span className="mono">{result.path}</span> <span className="muted num">({fmtInt(result.bytes)} bytes)</span>
    </p>
  );
}
