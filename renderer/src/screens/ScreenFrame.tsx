// The frame of a built screen: its title (focused after navigation), one line of purpose,
// and the console-wide states every screen must show honestly: not connected yet, busy with
// a first start or an import.
import { forwardRef, type ReactNode } from 'react';
import { useConsole } from '../api/context';
import type { ScreenId } from '../screens';

export const ScreenFrame = forwardRef<HTMLHeadingElement, { id: ScreenId; title: string; purpose: string; badge?: ReactNode; children: ReactNode }>(function ScreenFrame(
  { id, title, purpose, badge, children },
  ref,
) {
  const { transport, status, error } = useConsole();
  return (
    <section className="screen is-wide" aria-labelledby={`title-${id}`} data-testid={`screen-${id}`}>
      <div className="screen-head">
        <h1 id={`title-${id}`} ref={ref} tabIndex={-1}>
          {title}
        </h1>
        {badge}
      </div>
      <p className="screen-purpose">{purpose}</p>
      {status?.busy ? (
        <div className="banner is-busy" role="status" data-testid="busy">
          <span className="spinner" aria-hidden="true" /> {status.busy.message}
        </div>
      ) : null}
      {!transport ? null : !status ? (
        <div className="banner" role="status" data-testid="console-loading">
          {error ? `The console service did not answer: ${error}` : 'Connecting to the console service…'}
        </div>
      ) : null}
      <div className="screen-body">{children}</div>
    </section>
  );
});
