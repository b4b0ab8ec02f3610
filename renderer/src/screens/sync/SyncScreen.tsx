// Networks and sync: this user's replicas, a new network profile (genesis fetched, its hash
// shown and pinned), the open replica's sync with live progress and endpoint health, fork
// evidence, and bundles in and out.
import { forwardRef } from 'react';
import { useConsole } from '../../api/context';
import { useAction } from '../../api/useAction';
import { hashOf, type Route } from '../../route';
import { Icon } from '../../shell/Icon';
import { ErrorLine } from '../../ui/ErrorLine';
import { PathAction } from '../../ui/PathAction';
import { ScreenFrame } from '../ScreenFrame';
import { ProfileForm } from './ProfileForm';
import { ReplicaList } from './ReplicaList';
import { ReplicaPanel } from './ReplicaPanel';

export const SyncScreen = forwardRef<HTMLHeadingElement, { route: Route }>(function SyncScreen({ route }, ref) {
  const { transport, status } = useConsole();
  const openReplica = useAction((id: string) => transport!.call('replica.open', { id }));
  const importBundle = useAction((path: string | null) => transport!.call('bundle.import', { path, genesisSha256: null }));
  const creating = route.rest[0] === 'new';
  const open = status?.replicas.find((r) => r.id === status.openId) ?? null;
  const jobRunning = status ? status.sync.state === 'running' || status.sync.state === 'pausing' || status.verify.state === 'running' : false;

  return (
    <ScreenFrame ref={ref} id="sync" title="Networks and sync" purpose="Keep full replicas of the consent ledger on this machine: sync them from consortium nodes, or import a bundle.">
      {!status ? null : (
        <div className="split">
          <aside className="split-side" aria-label="Replicas and bundles">
            <h2 className="side-title">Replicas</h2>
            <ReplicaList replicas={status.replicas} openId={status.openId} verifying={status.verify.state === 'running'} disabled={jobRunning} onOpen={(id) => void openReplica.run(id).then(() => (window.location.hash = hashOf('sync').slice(1)))} />
            <ErrorLine error={openReplica.error} />
            <a className="btn is-block" href={hashOf('sync', 'new')} data-testid="new-profile">
              <Icon name="plus" /> New network profile
            </a>
            <h2 className="side-title">Import a bundle</h2>
            <p className="muted small">A replica handed over on removable media: checked part by part, unpacked, then verified from its genesis.</p>
            <PathAction
              nativeDialogs={status.nativeDialogs}
              label="Import bundle"
              placeholder="/absolute/path/replica.bundle"
              busy={importBundle.busy || status.busy?.what === 'import'}
              disabled={jobRunning}
              onRun={(path) => void importBundle.run(path)}
              testId="bundle-import"
            />
            <ErrorLine error={importBundle.error} testId="import-error" />
          </aside>
          <div className="split-main">
            {creating ? (
              <ProfileForm onCreated={() => (window.location.hash = hashOf('sync').slice(1))} onCancel={() => (window.location.hash = hashOf('sync').slice(1))} />
            ) : open ? (
              <ReplicaPanel status={status} replica={open} />
            ) : (
              <section className="panel" data-testid="sync-empty">
                <h2 className="panel-title">No replica open</h2>
                <p>
                  Start with a <a href={hashOf('sync', 'new')}>new network profile</a>: give the RPC endpoints of a few consortium nodes, compare the genesis hash with the one your consortium publishes, and pin it. Or import a replica bundle someone handed you.
                </p>
              </section>
            )}
          </div>
        </div>
      )}
    </ScreenFrame>
  );
});
