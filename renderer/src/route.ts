// Hash routing (#/verify, #/explorer/block/42): works the same from file:// (Electron) and
// http:// (headless host), and never triggers a navigation the main process would have to allow.
import { useCallback, useEffect, useState } from 'react';
import { screenById, screens, type ScreenId } from './screens';

export interface Route {
  screen: ScreenId;
  /** What follows the screen id, decoded: ['block', '42'], ['tx', 'ABC…'], ['search', 'text']. */
  rest: string[];
}

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const screen = screenById(parts[0] ?? '')?.id ?? screens[0]!.id;
  const rest = screenById(parts[0] ?? '') ? parts.slice(1) : [];
  return {
    screen,
    rest: rest.map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    }),
  };
}

/** The hash for a screen and its sub-path. */
export function hashOf(screen: ScreenId, ...rest: (string | number)[]): string {
  return `#/${[screen, ...rest.map((r) => encodeURIComponent(String(r)))].join('/')}`;
}

export function useRoute(): [Route, (screen: ScreenId, ...rest: (string | number)[]) => void] {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = useCallback((screen: ScreenId, ...rest: (string | number)[]) => {
    const h = hashOf(screen, ...rest);
    if (window.location.hash !== h) window.location.hash = h.slice(1);
  }, []);
  return [route, go];
}
