import { screens, type ScreenId } from '../screens';
import { Icon } from './Icon';

export function Nav({ current }: { current: ScreenId }) {
  return (
    <nav className="nav" aria-label="Screens">
      <ul>
        {screens.map((s, i) => (
          <li key={s.id}>
            <a href={`#/${s.id}`} className="nav-item" aria-current={s.id === current ? 'page' : undefined} aria-keyshortcuts={`Alt+${i + 1}`} data-testid={`nav-${s.id}`}>
              <Icon name={s.id} />
              <span className="nav-label">{s.label}</span>
              {s.available ? null : (
                <span className="nav-soon" title="Not yet available">
                  <Icon name="pending" title="Not yet available" />
                </span>
              )}
              <kbd className="nav-key">Alt {i + 1}</kbd>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
