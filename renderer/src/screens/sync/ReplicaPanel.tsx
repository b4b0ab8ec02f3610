// The open replica: what it is, its sync with live progress and endpoint health, fork
// evidence, and export of the replica as a bundle.
import type { ConsoleStatus, ReplicaSummary } from '../../../../shared/api';
import { useConsole } from '../../api/context';
import { useAction } from '../../api/useAction';
import { fmtInt, fmtRate, fmtTime } from '../../format';
import { hashOf } from '../../route';
import { Icon } from '../../shell/Icon';
import { ErrorLine } from '../../ui/ErrorLine';
import { Facts } from '../../ui/Facts';
import { Hash } from '../../ui/Hash';
import { PathAction } from '../../ui/PathAction';
import { Progress } from '../../ui/Progress';
import { Written } from '../../ui/Written';
import { Status, VERIFICATION_WORD, verificationTone, type Tone } from '../../ui/Status';
import { EndpointTable } from './EndpointTable';
import { ForkList } from './ForkList';

const SYNC_STATE: Record<ConsoleStatus['sync']['state'], [Tone, string]> = {
  idle: ['unverified', 'Not started in this session'],
  running: ['running', 'Syncing'],
  pausing: ['running', 'Pausing…'],
  paused: ['warn', 'Paused'],
  done: ['ok', 'Up to date'],
  failed: ['fail', 'Stopped by a failure'],
};

export function ReplicaPanel({ status, replica }: { status: ConsoleStatus; replica: ReplicaSummary }) {
  const { transport } = useConsole();
  const sync = status.sync;
  const start = useAction(() => transport!.call('sync.start', {}));
  const pause = useAction(() => transport!.call('sync.pause', {}));
  const exportBundle = useAction((path: string | null) => transport!.call('bundle.export', { path }));
  const canSync = replica.kind === 'network';
  const running = sync.state === 'running' || sync.state === 'pausing';
  const verifying = status.verify.state === 'running';
  const [tone, word] = SYNC_STATE[sync.state];
  // Heights downloaded this run but not yet written in height order (chunks still being checked).
  const fetchedAhead = Math.max(0, Math.min(sync.target - sync.height, sync.endpoints.reduce((n, e) => n + e.blocksServed, 0) - sync.heightsWritten));
  const genesisMatch = replica.storedGenesis === null ? null : replica.pinnedGenesis === replica.storedGenesis;

  return (
    <section className="panel" aria-labelledby="replica-title" data-testid="replica-panel">
      <div className="panel-head">
        <h2 id="replica-title" className="panel-title">
          {replica.name}
        </h2>
        {verifying ? (
          <Status tone="running" testId="replica-verification">
            Verifying…
          </Status>
        ) : (
          <Status tone={verificationTone(replica.verification.state)} testId="replica-verification">
            {VERIFICATION_WORD[replica.verification.state]}
            {replica.verification.failures ? ` (${fmtInt(replica.verification.failures)} failures)` : ''}
          </Status>
        )}
        <a className="link-right" href={hashOf('verify')}>
          Verification report <Icon name="right" />
        </a>
      </div>
      <Facts
        testId="replica-facts"
        items={[
          ['Chain id', <span className="mono">{replica.chainId ?? 'unknown'}</span>],
          ['Pinned genesis', replica.pinnedGenesis ? <Hash value={replica.pinnedGenesis} label="pinned genesis SHA-256" /> : <Status tone="warn">Not pinned: the bundle’s own claim only</Status>],
          [
            'Stored genesis',
            replica.storedGenesis ? (
              <span className="inline">
                <Hash value={replica.storedGenesis} label="stored genesis SHA-256" />
                {genesisMatch === null ? null : genesisMatch ? <Status tone="ok">matches the pin</Status> : replica.pinnedGenesis ? <Status tone="fail">differs from the pin</Status> : null}
              </span>
            ) : (
              <span className="muted">not fetched yet</span>
            ),
          ],
          ['Heights', replica.heights.complete ? <span className="num">{`${fmtInt(replica.heights.lowest)} to ${fmtInt(replica.heights.complete)}`}</span> : <span className="muted">none yet</span>],
          ['Endpoints', replica.endpoints.length ? <span className="mono">{replica.endpoints.join(', ')}</span> : <span className="muted">none (a bundle)</span>],
          ['Stored in', <span className="mono">{`${status.dataDir}/replicas/${replica.id}`}</span>],
        ]}
      />

      <h3 className="sub-title">Sync</h3>
      {canSync ? (
        <>
          <div className="toolbar">
            <Status tone={tone} testId="sync-state">
              {word}
            </Status>
            {running ? (
              <button type="button" className="btn" onClick={() => void pause.run()} disabled={sync.state === 'pausing'} data-testid="sync-pause">
                <Icon name="pause" /> Pause
              </button>
            ) : (
              <button type="button" className="btn is-primary" onClick={() => void start.run()} disabled={start.busy || verifying} data-testid="sync-start">
                <Icon name="play" /> {sync.state === 'paused' || (sync.state === 'idle' && replica.heights.complete > 0) ? 'Resume sync' : sync.state === 'done' ? 'Sync new blocks' : 'Start sync'}
              </button>
            )}
            {verifying ? <span className="muted">Verification runs; sync is available when it is done.</span> : null}
          </div>
          {running ? (
            <Progress
              testId="sync-progress"
              label={sync.phase === 'genesis' ? 'Fetching the genesis' : sync.phase === 'connecting' ? 'Connecting to the endpoints' : 'Fetching blocks, commits, validator sets and results'}
              done={sync.height}
              total={Math.max(sync.target, sync.height)}
              rate={sync.blocksPerSecond}
              unit="blocks/s"
              etaSeconds={sync.etaSeconds}
              ahead={fetchedAhead}
              detail={`written in order to ${fmtInt(sync.height)} (durable to ${fmtInt(sync.durableHeight)}) · ${fmtInt(fetchedAhead)} more fetched, being checked · ${fmtInt(sync.crossChecked)} cross-checked by a second endpoint · ${fmtInt(sync.singleSource)} from one endpoint`}
              onCancel={sync.state === 'running' ? () => void pause.run() : null}
              cancelLabel="Pause"
            />
          ) : sync.state !== 'idle' ? (
            <p className="muted num" data-testid="sync-summary">
              {sync.state === 'failed' ? 'Stopped' : sync.state === 'paused' ? 'Paused' : 'Finished'} {fmtTime(sync.finishedAt)}: complete to height {fmtInt(sync.durableHeight)}
              {sync.target ? ` of ${fmtInt(sync.target)}` : ''}; {fmtInt(sync.heightsWritten)} heights this run at {fmtRate(sync.blocksPerSecond)} blocks/s, {fmtInt(sync.crossChecked)} cross-checked.
            </p>
          ) : null}
          {sync.error ? (
            <p className="error-line" role="alert" data-testid="sync-error">
              <strong>{sync.error.kind}:</strong> {sync.error.message}
            </p>
          ) : null}
          <ErrorLine error={start.error ?? pause.error} />
          {sync.endpoints.length ? <EndpointTable endpoints={sync.endpoints} /> : null}
        </>
      ) : (
        <p className="muted">
          {replica.kind === 'demo' ? 'The embedded demo replica was produced by the project’s own devnet, which is not running; there is nothing to sync. ' : 'This replica came from a bundle; it has no network to sync from. '}
          To follow a live network, create a network profile.
        </p>
      )}

      <h3 className="sub-title">Fork evidence</h3>
      <ForkList forks={sync.forks} />

      <h3 className="sub-title">Export</h3>
      <p className="muted">Write this replica (genesis, every stored block, the profile, and a manifest of hashes) into one bundle file, for an auditor on another machine.</p>
      <PathAction
        nativeDialogs={status.nativeDialogs}
        label="Export bundle"
        placeholder="/absolute/path/replica.bundle"
        busy={exportBundle.busy || status.busy?.what === 'export'}
        disabled={running || replica.heights.complete === 0}
        onRun={(path) => void exportBundle.run(path)}
        testId="bundle-export"
      />
      <ErrorLine error={exportBundle.error} />
      <Written result={exportBundle.result} testId="bundle-written" />
    </section>
  );
}
