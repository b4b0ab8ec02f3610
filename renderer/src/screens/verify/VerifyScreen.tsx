// Verification: the summary a regulator can sign off, each check's status, every failure with
// a link to its block, validator participation over height, and the report as PDF or JSON.
import { forwardRef } from 'react';
import { useConsole } from '../../api/context';
import { useAction } from '../../api/useAction';
import { useQuery } from '../../api/useQuery';
import { fmtInt } from '../../format';
import { hashOf, type Route } from '../../route';
import { ErrorLine } from '../../ui/ErrorLine';
import { Progress } from '../../ui/Progress';
import { Status, VERIFICATION_WORD, verificationTone } from '../../ui/Status';
import { ScreenFrame } from '../ScreenFrame';
import { Checks } from './Checks';
import { Failures } from './Failures';
import { Heatmap } from './Heatmap';
import { HeatmapLegend } from './Legend';
import { ReportExport } from './ReportExport';
import { Summary } from './Summary';

const STEP = { indexing: 'Indexing the replica', verifying: 'Verifying headers, certificates, signatures and the state replay', recording: 'Recording the results' } as const;

export const VerifyScreen = forwardRef<HTMLHeadingElement, { route: Route }>(function VerifyScreen(_props, ref) {
  const { transport, status } = useConsole();
  const open = status?.replicas.find((r) => r.id === status.openId) ?? null;
  const v = status?.verify;
  const key = open && transport ? `${open.id}:${open.verification.at ?? ''}:${open.heights.complete}` : null;
  const report = useQuery(key, () => transport!.call('verify.report', {}).then((r) => r.report));
  const part = useQuery(key, () => transport!.call('verify.participation', { maxColumns: 300 }).then((r) => r.participation));
  const reverify = useAction(() => transport!.call('verify.start', { full: true }));
  const cancel = useAction(() => transport!.call('verify.cancel', {}));
  const pdf = useAction((path: string | null) => transport!.call('report.export', { format: 'pdf', path }));
  const json = useAction((path: string | null) => transport!.call('report.export', { format: 'json', path }));
  const running = v?.state === 'running';
  const syncing = status ? status.sync.state === 'running' || status.sync.state === 'pausing' : false;
  const r = report.data ?? null;

  const badge = open ? (
    <Status tone={running ? 'running' : verificationTone(open.verification.state)} testId="verify-badge">
      {running ? 'Verifying…' : VERIFICATION_WORD[open.verification.state]}
    </Status>
  ) : null;

  return (
    <ScreenFrame ref={ref} id="verify" title="Verification" purpose="Every byte of the replica re-verified from the pinned genesis alone." badge={badge}>
      {!status ? null : !open ? (
        <section className="panel" data-testid="verify-empty">
          <h2 className="panel-title">No replica to verify</h2>
          <p>
            Open or create one under <a href={hashOf('sync')}>Networks and sync</a>: sync it from consortium nodes or import a bundle. Verification starts by itself when there are blocks.
          </p>
        </section>
      ) : (
        <>
          {running && v ? (
            <Progress
              testId="verify-progress"
              label={v.step ? STEP[v.step] : 'Verifying'}
              done={v.done}
              total={Math.max(v.total, v.done)}
              rate={v.blocksPerSecond}
              unit={v.step === 'indexing' ? 'heights/s' : 'blocks/s'}
              etaSeconds={v.etaSeconds}
              detail={v.step === 'verifying' ? `verified to height ${fmtInt(v.height)} · ${fmtInt(v.failures)} failure(s) so far` : undefined}
              onCancel={() => void cancel.run()}
            />
          ) : null}
          {v?.state === 'failed' && v.error ? <ErrorLine error={v.error} testId="verify-error" /> : null}
          {v?.state === 'cancelled' ? <p className="muted">The last verification was cancelled; what it verified is kept.</p> : null}

          {!r ? (
            report.loading ? (
              <p className="muted">Loading the report…</p>
            ) : (
              <section className="panel" data-testid="verify-none">
                <h2 className="panel-title">Not verified yet</h2>
                <p>{open.heights.complete ? 'The replica has blocks but no verification report yet; it is verified after each sync, or now:' : 'The replica holds no blocks yet. Sync it first.'}</p>
              </section>
            )
          ) : (
            <>
              <Summary report={r} replica={open} />
              <div className="report-actions">
                <ReportExport
                  nativeDialogs={status.nativeDialogs}
                  disabled={running}
                  busy={pdf.busy || json.busy}
                  onExport={(format, path) => void (format === 'pdf' ? pdf.run(path) : json.run(path))}
                  results={[pdf.result, json.result]}
                />
                <button type="button" className="btn" onClick={() => void reverify.run()} disabled={running || syncing || reverify.busy} data-testid="verify-full">
                  Verify again from the genesis
                </button>
              </div>
              <ErrorLine error={reverify.error ?? pdf.error ?? json.error ?? cancel.error} testId="export-error" />

              <h2 className="section-title">Checks</h2>
              <Checks report={r} />

              <h2 className="section-title">Failures</h2>
              <Failures report={r} />

              <h2 className="section-title">Validator participation</h2>
              {part.data ? (
                <>
                  <p className="muted">
                    Who signed each commit from height {fmtInt(part.data.from)} to {fmtInt(part.data.to)}
                    {part.data.bucketSize > 1 ? `, ${part.data.bucketSize} heights per column` : ''}. Hover a cell for details; click it to open the block.
                  </p>
                  <HeatmapLegend bucketSize={part.data.bucketSize} />
                  <Heatmap data={part.data} />
                  {part.data.changes.length ? (
                    <ul className="changes" data-testid="validator-changes">
                      {part.data.changes.map((c) => (
                        <li key={c.height}>
                          Validator set changed at height <a href={hashOf('explorer', 'block', c.height)}>{c.height}</a>: {c.added.length} added, {c.removed.length} removed, {c.powerChanged.length} with new power.
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="muted">The validator set did not change.</p>
                  )}
                </>
              ) : part.error ? (
                <ErrorLine error={part.error} />
              ) : (
                <p className="muted">{part.loading ? 'Reading the commits…' : 'No commits stored yet.'}</p>
              )}
            </>
          )}
        </>
      )}
    </ScreenFrame>
  );
});
