// Output for the CLI: results on stdout, everything else (progress, notices, warnings) on
// stderr. Progress is one line redrawn in place on a TTY; when stderr is not a TTY (a log, a
// pipe, CI) it is a plain line every few seconds (CUSTOS_PROGRESS_INTERVAL_MS, default 5000).

export interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const DEFAULT_PLAIN_INTERVAL_MS = 5000;
const TTY_REDRAW_MS = 100;

export function plainIntervalMs(): number {
  const v = Number(process.env.CUSTOS_PROGRESS_INTERVAL_MS);
  return Number.isFinite(v) && v >= 0 ? v : DEFAULT_PLAIN_INTERVAL_MS;
}

/** A progress line on stderr plus notices printed above it. */
export class Progress {
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private current = '';
  private shown = '';
  private lastAt = -Infinity;
  private drawn = false;

  constructor(private readonly err: Out, options: { tty?: boolean; intervalMs?: number } = {}) {
    this.tty = options.tty ?? err.isTTY === true;
    this.intervalMs = options.intervalMs ?? (this.tty ? TTY_REDRAW_MS : plainIntervalMs());
  }

  /** Set the progress line; shown now or at the next interval. */
  update(line: string, force = false): void {
    this.current = line;
    const now = performance.now();
    if (!force && now - this.lastAt < this.intervalMs) return;
    this.lastAt = now;
    this.show();
  }

  /** A notice (event, warning) on its own line; the progress line is kept below it. */
  note(line: string): void {
    if (this.tty && this.drawn) this.err.write('\r\x1b[2K');
    this.err.write(`${line}\n`);
    this.drawn = false;
    if (this.tty && this.current) this.show();
  }

  /** Leave the last progress line in place (TTY) or print it if it was not yet (plain). */
  finish(): void {
    if (this.tty) {
      if (this.drawn) this.err.write('\n');
      else if (this.current) this.err.write(`${this.current}\n`);
    } else if (this.current && this.current !== this.shown) {
      this.err.write(`${this.current}\n`);
    }
    this.drawn = false;
    this.current = '';
    this.shown = '';
  }

  private show(): void {
    if (!this.current) return;
    if (this.tty) {
      const width = Math.max(20, (this.err.columns || 120) - 1);
      const line = this.current.length > width ? `${this.current.slice(0, width - 1)}…` : this.current;
      this.err.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else if (this.current !== this.shown) {
      this.err.write(`${this.current}\n`);
    }
    this.shown = this.current;
  }
}

export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export function fmtCount(n: number | bigint): string {
  return n.toLocaleString('en-US');
}

/** Ranges as "1..10, 12, 15..20" (at most `max` shown). */
export function fmtRanges(ranges: readonly { from: number; to: number }[], max = 6): string {
  if (ranges.length === 0) return 'none';
  const shown = ranges.slice(0, max).map((r) => (r.from === r.to ? `${r.from}` : `${r.from}..${r.to}`));
  return ranges.length > max ? `${shown.join(', ')}, … (${ranges.length} ranges)` : shown.join(', ');
}
