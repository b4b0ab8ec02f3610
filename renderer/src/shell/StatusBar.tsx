import type { HostView } from '../api/useHost';
import { Icon } from './Icon';

const STATE_WORD = { connecting: 'Connecting', connected: 'Connected', disconnected: 'Disconnected' } as const;

export function StatusBar({ view, transportLabel, onReconnect }: { view: HostView; transportLabel: string; onReconnect: (() => void) | null }) {
  return (
    <footer className="status" data-testid="status">
      <span className={`status-conn is-${view.state}`} data-testid="connection">
        <Icon name={view.state} />
        {STATE_WORD[view.state]}
      </span>
      <span className="status-item">{transportLabel}</span>
      {view.info ? <span className="status-item">{view.info.platform}</span> : null}
      {view.latencyMs !== null && view.state === 'connected' ? <span className="status-item num">ping {view.latencyMs} ms</span> : null}
      {view.state === 'disconnected' && onReconnect ? (
        <button type="button" className="link-button" onClick={onReconnect}>
          Reconnect
        </button>
      ) : null}
      <span className="status-fill" />
      {view.notice ? (
        <span className={`status-notice is-${view.notice.level}`} role="status">
          {view.notice.level === 'info' ? 'Note' : view.notice.level === 'warning' ? 'Warning' : 'Error'}: {view.notice.message}
        </span>
      ) : null}
      {view.error ? (
        <span className="status-notice is-error" role="status">
          Error: {view.error}
        </span>
      ) : null}
    </footer>
  );
}
