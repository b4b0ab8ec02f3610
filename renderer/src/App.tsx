// The app shell: header, navigation, the current screen, status line.
import { useEffect, useRef } from 'react';
import { ConsoleProvider } from './api/context';
import type { TransportChoice } from './api/select';
import { useHost } from './api/useHost';
import { useRoute } from './route';
import { screenById, screens } from './screens';
import { ExplorerScreen } from './screens/explorer/ExplorerScreen';
import { SyncScreen } from './screens/sync/SyncScreen';
import { VerifyScreen } from './screens/verify/VerifyScreen';
import { EmptyState } from './shell/EmptyState';
import { Header } from './shell/Header';
import { Nav } from './shell/Nav';
import { Notice } from './shell/Notice';
import { StatusBar } from './shell/StatusBar';
import { useTheme } from './theme';

export function App({ choice }: { choice: TransportChoice }) {
  const transport = choice.ok ? choice.transport : null;
  const host = useHost(transport);
  const [theme, toggleTheme] = useTheme();
  const [route, go] = useRoute();
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // Alt+1 … Alt+7 open the screens (event.code, so it works on every keyboard layout).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      const m = /^Digit([1-9])$/.exec(e.code);
      const target = m ? screens[Number(m[1]) - 1] : undefined;
      if (!target) return;
      e.preventDefault();
      go(target.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  // After a screen change, focus its title so keyboard and screen reader users land on it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [route.screen, route.rest.join('/')]);

  const screen = screenById(route.screen) ?? screens[0]!;
  const body =
    screen.id === 'sync' ? (
      <SyncScreen ref={heading} route={route} />
    ) : screen.id === 'verify' ? (
      <VerifyScreen ref={heading} route={route} />
    ) : screen.id === 'explorer' ? (
      <ExplorerScreen ref={heading} route={route} />
    ) : (
      <EmptyState key={screen.id} ref={heading} screen={screen} />
    );
  return (
    <ConsoleProvider transport={transport} state={host.state}>
      <div className="app">
        <a className="skip" href={`#/${route.screen}`} onClick={(e) => (e.preventDefault(), heading.current?.focus())}>
          Skip to content
        </a>
        <Header host={host.info?.host ?? null} version={host.info?.version ?? null} theme={theme} onToggleTheme={toggleTheme} />
        <Nav current={route.screen} />
        <main className="main" id="main">
          {choice.ok ? null : (
            <div className="banner is-error" role="alert" data-testid="no-host">
              <strong>Not connected.</strong> This page was opened without its access token. Open the exact URL that <code>npm run serve</code> printed; it
              ends in <code className="nowrap">?token=…</code>
            </div>
          )}
          <Notice />
          {body}
        </main>
        <StatusBar view={host} transportLabel={transport?.label ?? 'No host connection'} onReconnect={transport ? () => transport.reconnect() : null} />
      </div>
    </ConsoleProvider>
  );
}
