// Export of the verification report as PDF (to sign off) or JSON (for machines). The desktop
// host asks where with its save dialog; the headless host takes a path, and the button sets
// its extension.
import { useId, useState } from 'react';
import type { ExportResultView } from '../../../../shared/api';
import { Icon } from '../../shell/Icon';
import { Written } from '../../ui/Written';

function withExt(path: string, ext: 'pdf' | 'json'): string {
  return /\.(pdf|json)$/i.test(path) ? path.replace(/\.(pdf|json)$/i, `.${ext}`) : `${path}.${ext}`;
}

export function ReportExport({ nativeDialogs, disabled, busy, onExport, results }: {
  nativeDialogs: boolean;
  disabled: boolean;
  busy: boolean;
  onExport: (format: 'pdf' | 'json', path: string | null) => void;
  results: (ExportResultView | undefined)[];
}) {
  const [path, setPath] = useState('');
  const id = useId();
  const run = (format: 'pdf' | 'json') => onExport(format, nativeDialogs ? null : withExt(path.trim(), format));
  const off = disabled || busy || (!nativeDialogs && !path.trim());
  return (
    <div className="export-box" data-testid="report-export">
      <div className="export-row">
        {nativeDialogs ? null : (
          <>
            <label htmlFor={id} className="export-label">
              Export the report to
            </label>
            <input id={id} className="input mono" spellCheck={false} placeholder="/absolute/path/custos-report" value={path} onChange={(e) => setPath(e.target.value)} data-testid="export-path" />
          </>
        )}
        <button type="button" className="btn is-primary" disabled={off} onClick={() => run('pdf')} data-testid="export-pdf">
          <Icon name="download" /> PDF{nativeDialogs ? '…' : ''}
        </button>
        <button type="button" className="btn" disabled={off} onClick={() => run('json')} data-testid="export-json">
          <Icon name="download" /> JSON{nativeDialogs ? '…' : ''}
        </button>
      </div>
      {results.map((r, i) => (
        <Written key={i} result={r} testId={i === 0 ? 'pdf-written' : 'json-written'} />
      ))}
    </div>
  );
}
