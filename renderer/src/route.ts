// Hash routing (#/verify): works the same from file:// (Electron) and http:// (headless host),
// and never triggers a navigation the main process would have to allow.
import { useCallback, useEffect, useState } from 'react';
import { screenById, screens, type ScreenId } from './screens';

function fromHash(hash: string): ScreenId {
  return screenById(hash.replace(/^#\/?/, ''))?.id ?? screens[0]!.id;
}

export function useRoute(): [ScreenId, (id: ScreenId) => void] {
  const [route, setRoute] = useState<ScreenId>(() => fromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(fromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = useCallback((id: ScreenId) => {
    if (window.location.hash !== `#/${id}`) window.location.hash = `/${id}`;
  }, []);
  return [route, go];
}
