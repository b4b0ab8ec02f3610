// An error said plainly, where it happened.
export function ErrorLine({ error, testId }: { error: string | null; testId?: string }) {
  if (!error) return null;
  return (
    <p className="error-line" role="alert" data-testid={testId}>
      <strong>Error:</strong> {error}
    </p>
  );
}
