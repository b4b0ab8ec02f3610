// Why a bundle was refused: which part, what was expected, what was found.

/** 'file': the bundle file itself; 'replica-file': one of the replica files it carries (forks.jsonl, sync-status.json). */
export type BundlePart = 'file' | 'header' | 'manifest' | 'genesis' | 'replica-file' | 'segment' | 'trailer' | 'output';

export class BundleError extends Error {
  override name = 'BundleError';
  constructor(
    readonly part: BundlePart,
    readonly reason: string,
    /** segment: the segment file's name, or the replica file's name for 'replica-file'. */
    readonly detail: { segment?: string; expected?: string; found?: string } = {},
  ) {
    const where = detail.segment ? `${part} ${detail.segment}` : part;
    const ef = detail.expected !== undefined || detail.found !== undefined ? ` (expected ${detail.expected ?? '?'}, found ${detail.found ?? '?'})` : '';
    super(`bundle refused: ${where}: ${reason}${ef}`);
  }
}
