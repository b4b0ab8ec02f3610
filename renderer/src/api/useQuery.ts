// Loading data for a screen: refetched when its key changes (e.g. the replica was re-verified).
import { useEffect, useState } from 'react';

export interface Query<T> {
  data: T | undefined;
  loading: boolean;
  error: string | null;
}

export function useQuery<T>(key: string | null, load: () => Promise<T>): Query<T> {
  const [state, setState] = useState<Query<T>>({ data: undefined, loading: key !== null, error: null });
  useEffect(() => {
    if (key === null) {
      setState({ data: undefined, loading: false, error: null });
      return;
    }
    let live = true;
    setState((s) => ({ data: s.data, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, loading: false, error: null }),
      (e: Error) => live && setState({ data: undefined, loading: false, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [key]); // `key` names what `load` fetches
  return state;
}
