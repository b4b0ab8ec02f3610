// Numbers, durations and times as the console writes them (tabular, en-US grouping).

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function fmtRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '–';
  return perSecond >= 100 ? fmtInt(perSecond) : perSecond.toFixed(1);
}

export function fmtDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** An ISO time as "2026-11-24 21:20:04 UTC" (seconds, no fraction). */
export function fmtTime(iso: string | null): string {
  if (!iso) return '–';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** A hash shortened in the middle: 8 characters, an ellipsis, 6 characters. */
export function shortHash(h: string, head = 8, tail = 6): string {
  return h.length > head + tail + 1 ? `${h.slice(0, head)}…${h.slice(-tail)}` : h;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}
