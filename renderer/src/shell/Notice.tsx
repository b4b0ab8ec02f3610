// The console's last notice (an export written, a sync stopped), until dismissed.
import { useEffect, useState } from 'react';
import { useConsole } from '../api/context';
import { Icon } from './Icon';

const INFO_MS = 12_000;

export function Notice() {
  const { status } = useConsole();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const n = status?.notice;
  // A note that something was done fades after a while; warnings and errors stay until dismissed.
  useEffect(() => {
    if (!n || n.level !== 'info') return;
    const t = setTimeout(() => setDismissed(n.at), Math.max(0, Date.parse(n.at) + INFO_MS - Date.now()));
    return () => clearTimeout(t);
  }, [n]);
  if (!n || dismissed === n.at || (n.level === 'info' && Date.now() - Date.parse(n.at) > INFO_MS)) return null;
  return (
    <div className={`banner is-${n.level === 'error' ? 'error' : n.level === 'warning' ? 'warn' : 'info'} notice`} role="status" data-testid="notice">
      <span>
        <strong>{n.level === 'error' ? 'Error' : n.level === 'warning' ? 'Warning' : 'Done'}:</strong> {n.message}
      </span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setDismissed(n.at)}>
        <Icon name="cross" />
      </button>
    </div>
  );
}
