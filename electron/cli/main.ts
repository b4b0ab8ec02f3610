// `custos`: the command-line auditor. bin/custos.mjs registers tsx and calls run(); run()
// parses the command line, loads the command's module (lazily: --help and usage errors answer
// at once), and turns what happened into an exit code (errors.ts).

import { parseArgs, type Parsed } from './args';
import { COMMANDS, commandHelp, topHelp, type CommandInfo } from './commands';
import { CommandFailure, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError } from './errors';
import type { Out } from './term';

export interface Ctx {
  out: Out;
  err: Out;
  /** Aborted on the first Ctrl-C (SIGINT) or SIGTERM; a second one exits at once. */
  signal: AbortSignal;
}

type Runner = (p: Parsed, ctx: Ctx) => Promise<number>;

const RUNNERS: Record<string, () => Promise<Runner>> = {
  sync: async () => (await import('./commands/sync')).runSync,
  verify: async () => (await import('./commands/verify')).runVerify,
  export: async () => (await import('./commands/export')).runExport,
  import: async () => (await import('./commands/import')).runImport,
  status: async () => (await import('./commands/status')).runStatus,
  index: async () => (await import('./commands/index')).runIndex,
};

/** Commands that stop cleanly on Ctrl-C (the others are crash-safe and simply end). */
const INTERRUPTIBLE = new Set(['sync', 'verify', 'import', 'index']);

export async function run(argv: readonly string[], io: { out: Out; err: Out } = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err.write(topHelp());
    return EXIT_USAGE;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    const sub = name === 'help' ? rest[0] : undefined;
    const c = sub === undefined ? undefined : COMMANDS[sub];
    if (sub !== undefined && !c) return usage(io.err, undefined, `unknown command ${JSON.stringify(sub)}`);
    io.out.write(c ? commandHelp(c) : topHelp());
    return EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.out.write(`custos ${await version()}\n`);
    return EXIT_OK;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    return usage(io.err, undefined, name.startsWith('-') ? `expected a command before ${name}` : `unknown command ${JSON.stringify(name)}`);
  }

  let parsed: Parsed;
  try {
    parsed = parseArgs(command, rest);
  } catch (e) {
    if (e instanceof UsageError) return usage(io.err, command, e.message);
    throw e;
  }
  if (parsed.help) {
    io.out.write(commandHelp(command));
    return EXIT_OK;
  }

  const ac = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) {
      io.err.write(`\ncustos ${name}: ${sig} again, exiting now\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    io.err.write(`\ncustos ${name}: stopping (progress is saved; ${sig === 'SIGINT' ? 'Ctrl-C' : sig} again to exit at once)\n`);
    ac.abort();
  };
  const interruptible = INTERRUPTIBLE.has(name);
  if (interruptible) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    const runner = await RUNNERS[name]!();
    return await runner(parsed, { out: io.out, err: io.err, signal: ac.signal });
  } catch (e) {
    if (e instanceof UsageError) return usage(io.err, command, e.message);
    if (e instanceof CommandFailure) {
      io.err.write(`custos ${name}: ${e.message}\n`);
      return e.code;
    }
    io.err.write(`custos ${name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    if (process.env.CUSTOS_DEBUG && e instanceof Error && e.stack) io.err.write(`${e.stack}\n`);
    return EXIT_FAILED;
  } finally {
    if (interruptible) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

function usage(err: Out, command: CommandInfo | undefined, message: string): number {
  if (command) err.write(`custos ${command.name}: ${message}\nusage: ${command.usage}\n(custos ${command.name} --help for details)\n`);
  else err.write(`custos: ${message}\nusage: custos COMMAND [ARGS]   (custos --help lists the commands)\n`);
  return EXIT_USAGE;
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  try {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
