// Why a bundle was refused: which part, what was expected, what was found.

export type BundlePart = 'file' | 'header' | 'manifest' | 'genesis' | 'segment' | 'trailer' | 'output';

export class BundleError extends Error {
  override name = 'BundleError';
  constructor(
    readonly part: BundlePart,
    readonly reason: string,
    readonly detail: { segment?: string; expected?: string; found?: string } = {},
  ) {
    const where = detail.segment ? `${part} ${detail.segment}` : part;
    const ef = detail.expected !== undefined || detail.found !== undefined ? ` (expected ${detail.expected ?? '?'}, found ${detail.found ?? '?'})` : '';
    super(`bundle refused: ${where}: ${reason}${ef}`);
  }
}
