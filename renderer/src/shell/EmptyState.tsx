import { forwardRef } from 'react';
import { screens, type Screen } from '../screens';
import { Icon } from './Icon';

/** The screens that must come first, in order, ending with `screen` itself. */
function chainOf(screen: Screen): Screen[] {
  const chain = [screen];
  for (let s = screen; s.needs; ) {
    const prev = screens.find((x) => x.id === s.needs);
    if (!prev || chain.includes(prev)) break;
    chain.unshift(prev);
    s = prev;
  }
  return chain;
}

/** The honest empty state of a screen that a later issue builds. */
export const EmptyState = forwardRef<HTMLHeadingElement, { screen: Screen }>(function EmptyState({ screen }, headingRef) {
  return (
    <section className="screen" aria-labelledby={`title-${screen.id}`} data-testid={`screen-${screen.id}`}>
      <div className="screen-head">
        <h1 id={`title-${screen.id}`} ref={headingRef} tabIndex={-1}>
          {screen.label}
        </h1>
        {screen.available ? null : (
          <span className="badge is-pending" data-testid="availability">
            <Icon name="pending" />
            Not yet available
          </span>
        )}
      </div>
      <p className="screen-purpose">{screen.purpose}</p>

      <div className="empty">
        <div className="empty-block">
          <h2>What this screen will do</h2>
          <ul className="empty-list">
            {screen.will.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
        <div className="empty-block">
          <h2>What to do next</h2>
          <p data-testid="next-step">{screen.next}</p>
          {screen.needs ? (
            <ol className="empty-chain" aria-label="Order of work">
              {chainOf(screen).map((s, i, all) => (
                <li key={s.id}>
                  {s.id === screen.id ? <span aria-current="step">{s.label}</span> : <a href={`#/${s.id}`}>{s.label}</a>}
                  {i < all.length - 1 ? <Icon name="arrow" /> : null}
                </li>
              ))}
            </ol>
          ) : null}
        </div>
      </div>
    </section>
  );
});
