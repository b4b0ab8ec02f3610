import type { HostKind } from '../../../shared/api';
import type { Theme } from '../theme';
import { Icon } from './Icon';

const HOST_LABEL: Record<HostKind, string> = { electron: 'Desktop', headless: 'Headless' };

export function Header({ host, version, theme, onToggleTheme }: { host: HostKind | null; version: string | null; theme: Theme; onToggleTheme: () => void }) {
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <header className="header">
      <div className="brand">
        <span className="brand-name">Custos</span>
        <span className="brand-sub">Consent ledger auditor</span>
      </div>
      <div className="header-right">
        <span className="host-kind" data-testid="host-kind" data-host={host ?? 'unknown'} title="Which host runs the Node side of this window">
          <Icon name={host ?? 'headless'} />
          <span>{host ? `${HOST_LABEL[host]} host` : 'Host unknown'}</span>
        </span>
        {version ? <span className="version num">v{version}</span> : null}
        <button type="button" className="theme-toggle" onClick={onToggleTheme} aria-label={`Switch to ${next} theme`} data-testid="theme-toggle">
          <Icon name={theme === 'dark' ? 'moon' : 'sun'} />
          <span>{theme === 'dark' ? 'Dark' : 'Light'}</span>
        </button>
      </div>
    </header>
  );
}
