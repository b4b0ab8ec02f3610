// A hash or key: monospace, shortened in the middle, the full value on hover (and to screen
// readers), with a copy button.
import { useState } from 'react';
import { shortHash } from '../format';
import { Icon } from '../shell/Icon';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The desktop host denies clipboard permissions to the page; fall back to a selection copy.
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

export function Hash({ value, full = false, head, tail, label }: { value: string; full?: boolean; head?: number; tail?: number; label?: string }) {
  if (!value) return <span className="muted">–</span>;
  const shown = full ? value : shortHash(value, head, tail);
  return (
    <span className="hash-wrap">
      <span className="hash" title={value} data-full={value} aria-label={label ? `${label} ${value}` : value}>
        {shown}
      </span>
      <CopyButton value={value} label={label} />
    </span>
  );
}

/** Copies `value` to the clipboard; says so in its tooltip. */
export function CopyButton({ value, label }: { value: string; label?: string | undefined }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <button
      type="button"
      className="copy"
      aria-label={`Copy ${label ?? 'value'}`}
      title={copied === 'yes' ? 'Copied' : copied === 'no' ? 'Copy failed' : 'Copy'}
      onClick={() => {
        void copyText(value).then((ok) => {
          setCopied(ok ? 'yes' : 'no');
          setTimeout(() => setCopied(null), 1500);
        });
      }}
    >
      <Icon name={copied === 'yes' ? 'check' : 'copy'} />
    </button>
  );
}
