// Decoded facts: keys and hashes in monospace (shortened, copyable), transaction ids as links.
import type { FieldView } from '../../../../shared/api';
import { fmtTime, shortHash } from '../../format';
import { hashOf } from '../../route';
import { CopyButton, Hash } from '../../ui/Hash';

function Value({ f }: { f: FieldView }) {
  switch (f.kind) {
    case 'hash':
      return <Hash value={f.value} label={f.label} />;
    case 'key':
      return (
        <span className="inline">
          <a className="hash" href={hashOf('explorer', 'key', f.value.toLowerCase())} title={f.value}>
            {shortHash(f.value)}
          </a>
          <CopyButton value={f.value} label={f.label} />
        </span>
      );
    case 'tx':
      return (
        <span className="inline">
          <a className="mono" href={hashOf('explorer', 'tx', f.value)} title={f.value}>
            {f.value.slice(0, 10)}…{f.value.slice(-6)}
          </a>
          <CopyButton value={f.value} label={f.label} />
        </span>
      );
    case 'org':
      return <a href={hashOf('explorer', 'org', f.value)}>{f.value}</a>;
    case 'height':
      return (
        <a className="num" href={hashOf('explorer', 'block', f.value)}>
          {f.value}
        </a>
      );
    case 'time':
      return <span className="num">{fmtTime(f.value)}</span>;
    case 'list':
      return (
        <span className="field-list">
          {f.value.split(', ').map((item, i) =>
            /^[0-9A-Fa-f]{64}$/.test(item) ? (
              <span key={i}>
                <Hash value={item} label={f.label} />
              </span>
            ) : (
              <span key={i} className="chip">
                {item}
              </span>
            ),
          )}
        </span>
      );
    default:
      return <span>{f.value}</span>;
  }
}

export function Fields({ fields, testId }: { fields: FieldView[]; testId?: string }) {
  return (
    <dl className="facts is-fields" data-testid={testId}>
      {fields.map((f, i) => (
        <div className="fact" key={`${f.label}-${i}`}>
          <dt>{f.label}</dt>
          <dd>
            <Value f={f} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
