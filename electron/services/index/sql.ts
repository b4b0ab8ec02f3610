// A thin statement cache over sql.js: each distinct SQL text is prepared once per writer or
// query session, and freed together.
import type { BindParams, Database, SqlValue, Statement } from 'sql.js';

export type Row = Record<string, SqlValue>;

export class Sql {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  run(sql: string, params: BindParams = []): void {
    this.stmt(sql).run(params);
  }

  /** Rows changed by the last INSERT, UPDATE or DELETE. */
  changes(): number {
    return this.db.getRowsModified();
  }

  /** The first row, or undefined. */
  get(sql: string, params: BindParams = []): Row | undefined {
    const s = this.stmt(sql);
    try {
      s.bind(params);
      return s.step() ? s.getAsObject() : undefined;
    } finally {
      s.reset();
    }
  }

  all(sql: string, params: BindParams = []): Row[] {
    const s = this.stmt(sql);
    const out: Row[] = [];
    try {
      s.bind(params);
      while (s.step()) out.push(s.getAsObject());
    } finally {
      s.reset();
    }
    return out;
  }

  /** A single value (first column of the first row), or undefined. */
  value(sql: string, params: BindParams = []): SqlValue | undefined {
    const s = this.stmt(sql);
    try {
      s.bind(params);
      return s.step() ? s.get()[0] : undefined;
    } finally {
      s.reset();
    }
  }

  free(): void {
    for (const s of this.cache.values()) s.free();
    this.cache.clear();
  }
}
