// An action on a file: the desktop host asks with its native dialog (path null); the headless
// host has none, so the user types the absolute path in a field next to the button.
import { useId, useState } from 'react';

export interface PathActionProps {
  nativeDialogs: boolean;
  label: string;
  placeholder: string;
  busy?: boolean;
  disabled?: boolean;
  onRun: (path: string | null) => void;
  testId?: string;
}

export function PathAction(p: PathActionProps) {
  const [path, setPath] = useState('');
  const id = useId();
  if (p.nativeDialogs) {
    return (
      <button type="button" className="btn" disabled={p.disabled || p.busy} onClick={() => p.onRun(null)} data-testid={p.testId}>
        {p.busy ? 'Working…' : `${p.label}…`}
      </button>
    );
  }
  return (
    <form
      className="path-action"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) p.onRun(path.trim());
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {p.label}: file path
      </label>
      <input id={id} className="input mono" type="text" spellCheck={false} placeholder={p.placeholder} value={path} onChange={(e) => setPath(e.target.value)} data-testid={p.testId ? `${p.testId}-path` : undefined} />
      <button type="submit" className="btn" disabled={p.disabled || p.busy || !path.trim()} data-testid={p.testId}>
        {p.busy ? 'Working…' : p.label}
      </button>
    </form>
  );
}
