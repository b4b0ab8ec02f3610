// Line-level edits of CometBFT's generated config.toml (config/toml.go template): set
// `key = value` inside a [section] (or at the top level), keeping every comment. Values
// are written as TOML literals (strings quoted, booleans and numbers bare).
export type TomlValue = string | number | boolean;

export function setTomlValues(toml: string, section: string, values: Record<string, TomlValue>): string {
  const lines = toml.split('\n');
  let current = '';
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const head = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (head) {
      current = head[1]!;
      continue;
    }
    if (current !== section) continue;
    const kv = /^(\s*)([A-Za-z0-9_.-]+)\s*=/.exec(line);
    if (kv && kv[2]! in values) {
      lines[i] = `${kv[1]}${kv[2]} = ${literal(values[kv[2]!]!)}`;
      seen.add(kv[2]!);
    }
  }
  const missing = Object.keys(values).filter((k) => !seen.has(k));
  if (missing.length > 0) {
    throw new Error(`config.toml: no ${missing.join(', ')} in ${section ? `[${section}]` : 'the top level'} (CometBFT version mismatch?)`);
  }
  return lines.join('\n');
}

function literal(v: TomlValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}
