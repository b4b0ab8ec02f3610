// The commands' flags and help texts. Kept apart from the implementations so that `--help`
// and usage errors answer without loading the services.

import type { CommandSpec } from './args';

export interface CommandInfo extends CommandSpec {
  summary: string;
  usage: string;
  help: string;
}

const EXIT_CODES = `Exit codes: 0 success, 1 a check failed or something was refused, 2 bad usage or input,
130 interrupted.`;

export const COMMANDS: Record<string, CommandInfo> = {
  sync: {
    name: 'sync',
    summary: 'fill or resume a replica from CometBFT RPC endpoints, then verify what is new',
    usage: 'custos sync --rpc URL[,URL...] --out DIR [--genesis-sha256 HEX] [--to HEIGHT] [--follow] [--no-verify] [--scrub] [--threads N]',
    positionals: [],
    flags: {
      rpc: { type: 'string', value: 'URL[,URL...]', repeat: true },
      out: { type: 'string', value: 'DIR' },
      'genesis-sha256': { type: 'string', value: 'HEX' },
      to: { type: 'string', value: 'HEIGHT' },
      follow: { type: 'boolean' },
      'no-verify': { type: 'boolean' },
      scrub: { type: 'boolean' },
      threads: { type: 'string', value: 'N' },
    },
    help: `Fetches every block, commit, validator set and block result into the replica in DIR
(created if absent, resumed if not), from several endpoints at once, cross-checking headers
between them. An endpoint that times out, errors, serves malformed data or data that fails a
check is set aside with its reason; two different signed headers at one height are kept as
fork evidence (DIR/forks.jsonl) and reported. Then verifies the heights not yet verified and
records their results in the derived index (DIR/index.sqlite), as custos verify does.

  --rpc URL[,URL...]      RPC endpoints of different consortium members (comma-separated,
                          or repeat the flag); http or https
  --out DIR               the replica directory
  --genesis-sha256 HEX    the pinned SHA-256 of the genesis; the sync stops (exit 1) if the
                          endpoints' or the replica's genesis differs. Without it, the hash is
                          printed on the first fetch so you can compare it out of band and pin it
  --to HEIGHT             stop at this height (default: what the endpoints have)
  --follow                keep following the head as new blocks arrive, until Ctrl-C or --to
  --no-verify             do not verify after syncing
  --scrub                 first check every stored record against its checksum; damaged
                          records (custos verify reports them as replica.corrupt) are fetched again
  --threads N             verification worker threads (default: one per CPU)

Progress goes to stderr: one updating line on a terminal, a plain line every few seconds
otherwise (CUSTOS_PROGRESS_INTERVAL_MS). Ctrl-C stops cleanly with progress saved (exit 130);
a second Ctrl-C exits at once (the replica is crash-safe).

${EXIT_CODES}`,
  },
  verify: {
    name: 'verify',
    summary: 'verify the replica from genesis: certificates, signatures, state replay',
    usage: 'custos verify DIR [--json] [--full] [--genesis-sha256 HEX] [--threads N] [--no-index]',
    positionals: ['DIR'],
    flags: {
      json: { type: 'boolean' },
      full: { type: 'boolean' },
      'genesis-sha256': { type: 'string', value: 'HEX' },
      threads: { type: 'string', value: 'N' },
      'no-index': { type: 'boolean' },
    },
    help: `Verifies the replica in DIR from its genesis: every header, commit certificate and
signature, the validator-set transitions, and the replay of the consent ledger with each
AppHash compared with the one the next header commits to. Resumes from the last checkpoint
(only what is new is verified) unless --full; a resumed run first checks every stored record
against its checksum, so a changed byte anywhere in the replica still fails. Each height's
result (verified, or failed with its checks) is then recorded in the derived index
(DIR/index.sqlite, brought up to date first), where the explorer shows it.

  --json                  print the report as JSON on stdout (nothing else goes to stdout)
  --full                  verify everything again from genesis
  --genesis-sha256 HEX    hold the replica to this genesis hash (default: the one pinned in
                          DIR/profile.json); a different genesis is a failure
  --threads N             signature-verification worker threads (default: one per CPU)
  --no-index              do not record the results in DIR/index.sqlite (a later custos
                          verify DIR without it records them, from its checkpoint)

Progress goes to stderr.

Exit codes: 0 everything verifies, 1 any check fails, 2 bad usage or input (DIR is not a
replica), 130 interrupted.`,
  },
  export: {
    name: 'export',
    summary: 'write the replica into one bundle file',
    usage: 'custos export DIR --out FILE [--force]',
    positionals: ['DIR'],
    flags: {
      out: { type: 'string', value: 'FILE' },
      force: { type: 'boolean' },
    },
    help: `Writes the replica in DIR (genesis, acknowledged records, profile, and a manifest of
SHA-256 hashes) into FILE. The file appears only once complete.

  --out FILE    the bundle to write
  --force       replace FILE if it exists

${EXIT_CODES}`,
  },
  import: {
    name: 'import',
    summary: 'check a bundle, unpack it into a new replica, and verify it fully',
    usage: 'custos import FILE --out DIR [--json] [--genesis-sha256 HEX] [--threads N]',
    positionals: ['FILE'],
    flags: {
      out: { type: 'string', value: 'DIR' },
      json: { type: 'boolean' },
      'genesis-sha256': { type: 'string', value: 'HEX' },
      threads: { type: 'string', value: 'N' },
    },
    help: `Reads the bundle FILE, checks every part against its manifest and the whole against its
trailer hash, unpacks it into DIR (which must not exist or be empty), then verifies the
imported replica fully from its genesis. A truncated or altered bundle is refused with the
part and the reason (exit 1), and nothing is written to DIR. If the imported replica fails
verification, DIR is kept for inspection and the exit code is 1.

  --out DIR               the new replica directory
  --json                  print the verification report as JSON on stdout
  --genesis-sha256 HEX    refuse the bundle unless its genesis has this SHA-256 (a hash you
                          know out of band; the bundle's own pin is only what its maker claimed)
  --threads N             signature-verification worker threads (default: one per CPU)

${EXIT_CODES}`,
  },
  status: {
    name: 'status',
    summary: 'show a replica: chain, pinned genesis, heights, endpoints, last failure',
    usage: 'custos status DIR [--json]',
    positionals: ['DIR'],
    flags: {
      json: { type: 'boolean' },
    },
    help: `Shows the replica in DIR: chain id, pinned genesis hash, stored and verified heights, the
endpoints with their health at the last sync, damage found in the store, fork evidence, and
the last failure. Reads only; safe while a sync runs.

  --json    print it as JSON on stdout

Exit codes: 0 shown, 2 DIR is not a replica or bad usage.`,
  },
  index: {
    name: 'index',
    summary: 'bring the derived index (sql.js) up to date, or rebuild it',
    usage: 'custos index DIR [--rebuild] [--json]',
    positionals: ['DIR'],
    flags: {
      rebuild: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    help: `Indexes the heights of the replica in DIR that the derived index (DIR/index.sqlite: blocks,
transactions by kind, consents, accesses, anchors, proposals, votes) does not hold yet. The
index is always rebuildable from the replica; it is rebuilt by itself when it is damaged, of
another version, or no longer matches the replica. The growing tables live in shards of about
10,000 transactions (DIR/index-shards/), loaded one at a time, so memory does not grow with
the chain.

  --rebuild    discard the store-derived rows and index everything again
  --json       print what was done and the index's counts as JSON on stdout

${EXIT_CODES}`,
  },
};

export function topHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.values(COMMANDS).map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `custos: audit a CometBFT consent-ledger replica

usage: custos COMMAND [ARGS]   (custos COMMAND --help for details)

${lines.join('\n')}

${EXIT_CODES}
`;
}

export function commandHelp(c: CommandInfo): string {
  return `usage: ${c.usage}\n\n${c.help}\n`;
}
