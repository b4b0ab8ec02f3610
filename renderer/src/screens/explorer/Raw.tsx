// The raw JSON beside the decoded view, as the replica stores it.
export function Raw({ text, truncated, title }: { text: string; truncated?: boolean; title: string }) {
  return (
    <section className="raw" aria-label={title}>
      <h3 className="sub-title">{title}</h3>
      <pre className="raw-pre" tabIndex={0} data-testid="raw">
        {text || '(not stored)'}
      </pre>
      {truncated ? <p className="muted small">Cut at 256 KiB.</p> : null}
    </section>
  );
}
