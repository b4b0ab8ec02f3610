// Hand-written argument parsing for the custos commands: `--flag value`, `--flag=value`,
// boolean flags that take no value, `--` to end the flags, `-h`/`--help` anywhere. Every
// problem is a UsageError naming the flag or argument (exit 2).

import { redactUrl } from '../services/sync/rpc-errors';
import { UsageError } from './errors';

export interface FlagSpec {
  /** 'string' takes a value; 'boolean' takes none. */
  type: 'string' | 'boolean';
  /** Placeholder shown in messages, e.g. DIR. */
  value?: string;
  /** May be given more than once (values are collected in order). */
  repeat?: boolean;
}

export interface CommandSpec {
  name: string;
  /** Positional arguments in order; all required. */
  positionals: readonly string[];
  flags: Readonly<Record<string, FlagSpec>>;
}

export interface Parsed {
  help: boolean;
  positionals: string[];
  /** Strings (repeatable flags: the last one), booleans as true; absent flags are missing. */
  flags: Record<string, string | true>;
  /** Every value of a repeatable flag. */
  lists: Record<string, string[]>;
}

export function parseArgs(spec: CommandSpec, argv: readonly string[]): Parsed {
  const out: Parsed = { help: false, positionals: [], flags: {}, lists: {} };
  let flagsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (flagsDone || arg === '-' || !arg.startsWith('-')) {
      out.positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      flagsDone = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') {
      out.help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`, spec.name);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const f = spec.flags[name];
    if (!f || name.length === 0) throw new UsageError(`unknown flag --${name}`, spec.name);
    if (f.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`, spec.name);
      if (out.flags[name] !== undefined && !f.repeat) throw new UsageError(`--${name} given twice`, spec.name);
      out.flags[name] = true;
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`--${name} needs a value (${f.value ?? 'VALUE'})`, spec.name);
      value = next;
      i++;
    }
    if (value.length === 0) throw new UsageError(`--${name} needs a value (${f.value ?? 'VALUE'}), got an empty string`, spec.name);
    if (out.flags[name] !== undefined && !f.repeat) throw new UsageError(`--${name} given twice`, spec.name);
    out.flags[name] = value;
    (out.lists[name] ??= []).push(value);
  }
  if (out.help) return out;
  if (out.positionals.length < spec.positionals.length) {
    throw new UsageError(`missing ${spec.positionals.slice(out.positionals.length).join(' ')}`, spec.name);
  }
  if (out.positionals.length > spec.positionals.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(out.positionals[spec.positionals.length])}`, spec.name);
  }
  return out;
}

/** A required string flag. */
export function required(p: Parsed, spec: CommandSpec, name: string): string {
  const v = p.flags[name];
  if (typeof v !== 'string') throw new UsageError(`--${name} ${spec.flags[name]?.value ?? 'VALUE'} is required`, spec.name);
  return v;
}

export function optional(p: Parsed, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function bool(p: Parsed, name: string): boolean {
  return p.flags[name] === true;
}

/** A height: a positive decimal integer within the safe range. */
export function parseHeight(value: string, flag: string, command: string): number {
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${flag} must be a positive integer height, got ${JSON.stringify(value)}`, command);
  }
  return Number(value);
}

/** A SHA-256 in hex (64 digits, either case); returned lower-case. */
export function parseSha256(value: string, flag: string, command: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new UsageError(`--${flag} must be a SHA-256 in hex (64 hex digits), got ${JSON.stringify(value)}`, command);
  }
  return value.toLowerCase();
}

/** Comma-separated (and/or repeated) http(s) URLs, de-duplicated, in order. */
export function parseUrls(values: readonly string[], flag: string, command: string): string[] {
  const urls: string[] = [];
  for (const part of values.flatMap((v) => v.split(','))) {
    const s = part.trim();
    if (s.length === 0) throw new UsageError(`--${flag} has an empty URL in ${JSON.stringify(values.join(','))}`, command);
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      throw new UsageError(`--${flag}: ${JSON.stringify(s)} is not a URL (expected e.g. http://127.0.0.1:26657)`, command);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--${flag}: ${JSON.stringify(redactUrl(s))} is not an http or https URL`, command);
    if (!urls.includes(s)) urls.push(s);
  }
  return urls;
}

/** A thread count: 1..256. */
export function parseThreads(value: string, flag: string, command: string): number {
  if (!/^[1-9][0-9]*$/.test(value) || Number(value) > 256) throw new UsageError(`--${flag} must be a number of threads from 1 to 256, got ${JSON.stringify(value)}`, command);
  return Number(value);
}
