// Why indexing stopped at a height: data the index cannot make sense of (the verifier reports
// the precise failed check; the index only names the height and the field).

export class IndexDataError extends Error {
  constructor(readonly height: number, readonly where: string, message: string) {
    super(`height ${height}: ${where}: ${message}`);
    this.name = 'IndexDataError';
  }
}

/** A shard file the index needs is missing or damaged; the next updateIndex rebuilds the index. */
export class IndexDamagedError extends Error {
  constructor(readonly reason: string) {
    super(`the index is damaged: ${reason}; the next update rebuilds it (custos index DIR)`);
    this.name = 'IndexDamagedError';
  }
}
