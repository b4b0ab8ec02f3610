// Why indexing stopped at a height: data the index cannot make sense of (the verifier reports
// the precise failed check; the index only names the height and the field).

export class IndexDataError extends Error {
  constructor(readonly height: number, readonly where: string, message: string) {
    super(`height ${height}: ${where}: ${message}`);
    this.name = 'IndexDataError';
  }
}
