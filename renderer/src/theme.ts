// Light/dark theme: follows prefers-color-scheme until the user picks one, then remembers it.
import { useCallback, useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';
const KEY = 'custos.theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

function stored(): Theme | null {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null; // storage unavailable: follow the system
  }
}

export function initialTheme(): Theme {
  return stored() ?? (media().matches ? 'dark' : 'light');
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(initialTheme);

  useEffect(() => applyTheme(theme), [theme]);

  useEffect(() => {
    const m = media();
    const follow = (e: MediaQueryListEvent) => {
      if (stored() === null) setTheme(e.matches ? 'dark' : 'light');
    };
    m.addEventListener('change', follow);
    return () => m.removeEventListener('change', follow);
  }, []);

  const toggle = useCallback(() => {
    setTheme((t) => {
      const next: Theme = t === 'dark' ? 'light' : 'dark';
      try {
        window.localStorage.setItem(KEY, next);
      } catch {
        /* not persisted; still switch */
      }
      return next;
    });
  }, []);

  return [theme, toggle];
}
