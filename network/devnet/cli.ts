// npm run devnet [-- up|down|status] [options]
//
//   up      (default) build the pinned CometBFT if needed, start the devnet, wait for height 2,
//           print the RPC endpoints, run until Ctrl-C / SIGTERM / `devnet down`.
//   down    stop a devnet started in another terminal (via devnet.json's pids).
//   status  height, app hash and process state of every node.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CometRpc, sleep } from '../client/rpc';
import { GoMissingError } from './cometbft-binary';
import { readLayout, startDevnet, supervisorAlive, layoutPath, writeLayout } from './devnet';
import type { DevnetLayout } from './devnet';
import { defaultDevnetHome } from './paths';
import { isAlive, stopPid } from './processes';
import { PortInUseError } from './ports';

const USAGE = `usage: npm run devnet -- [up|down|status] [options]

  up (default)        start the devnet and keep it running until Ctrl-C
  down                stop a devnet running in another terminal
  status              show each node's height and app hash

options:
  --validators N      genesis validators (default 4; new chains only)
  --home DIR          data directory (default $CUSTOS_DEVNET_HOME or network/.devnet)
  --base-port P       node i uses P+10i (p2p), P+10i+1 (rpc), P+10i+2 (abci); default 26600
  --reset             delete the chain in --home and start a new one
  --chain-id ID       default custos-devnet
  --seed S            seed for keys and the demo genesis (default custos-devnet)
  --timeout-commit D  CometBFT consensus.timeout_commit (default 400ms)
  --empty-blocks D    create_empty_blocks_interval (default 1s)
`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      validators: { type: 'string' },
      home: { type: 'string' },
      'base-port': { type: 'string' },
      reset: { type: 'boolean' },
      'chain-id': { type: 'string' },
      seed: { type: 'string' },
      'timeout-commit': { type: 'string' },
      'empty-blocks': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const cmd = positionals[0] ?? 'up';
  const home = resolve(values.home ?? defaultDevnetHome());
  switch (cmd) {
    case 'up':
      return up(home, values);
    case 'down':
      return down(home);
    case 'status':
      return status(home);
    default:
      process.stderr.write(`unknown command ${cmd}\n\n${USAGE}`);
      return 2;
  }
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} wants a positive integer, got ${v}`);
  return n;
}

async function up(home: string, v: Record<string, string | boolean | undefined>): Promise<number> {
  const t0 = Date.now();
  const log = (l: string) => process.stdout.write(`[devnet ${((Date.now() - t0) / 1000).toFixed(1)}s] ${l}\n`);
  const basePort = int('base-port', v['base-port'] as string | undefined);
  if (basePort !== undefined && basePort + 10 * 60 > 65535) throw new Error('--base-port too high');
  const net = await startDevnet({
    home,
    validators: int('validators', v.validators as string | undefined),
    basePort,
    reset: v.reset === true,
    chainId: v['chain-id'] as string | undefined,
    seed: v.seed as string | undefined,
    timeoutCommit: v['timeout-commit'] as string | undefined,
    emptyBlocksInterval: v['empty-blocks'] as string | undefined,
    log,
  });
  process.stdout.write(`\nCustos devnet "${net.chainId}" is up (${home})\n`);
  for (const n of net.nodes) {
    process.stdout.write(`  ${n.name}  rpc ${n.rpc}  ${n.genesisValidator ? 'validator' : 'full node'}  logs ${n.logs.cometbft}\n`);
  }
  process.stdout.write('\nCtrl-C (or `npm run devnet -- down`) stops it.\n');

  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (sig: string) => {
      if (stopping) return;
      stopping = true;
      log(`${sig}: stopping`);
      void net.stop().then(done, (e: unknown) => {
        log(`stop failed: ${(e as Error).message}`);
        done();
      });
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => stop(sig));
  });
  return 0;
}

/** Stops a devnet supervised by another process: ask the supervisor, then clean up leftovers. */
async function down(home: string): Promise<number> {
  const layout = readLayout(home);
  if (!layout) {
    process.stdout.write(`no devnet in ${home}\n`);
    return 0;
  }
  if (supervisorAlive(layout) && cmdlineHas(layout.supervisorPid!, 'node')) {
    process.stdout.write(`asking the devnet supervisor (pid ${layout.supervisorPid}) to stop…\n`);
    process.kill(layout.supervisorPid!, 'SIGTERM');
    for (let i = 0; i < 300 && isAlive(layout.supervisorPid!); i++) await sleep(100);
  }
  // Whatever is still recorded (supervisor killed hard, or it timed out): stop it by pid,
  // but only processes whose command line names this devnet's node directory.
  const after = readLayout(home) ?? layout;
  let n = 0;
  for (const [idx, pids] of Object.entries(after.pids ?? {})) {
    const node = after.nodes[Number(idx)];
    if (!node) continue;
    for (const pid of [pids.cometbft, pids.abci]) {
      if (pid && isAlive(pid) && cmdlineHas(pid, node.home)) {
        await stopPid(pid);
        n++;
      }
    }
  }
  if (n > 0) process.stdout.write(`stopped ${n} leftover process${n > 1 ? 'es' : ''}\n`);
  if (!supervisorAlive(after)) {
    after.pids = {};
    delete after.supervisorPid;
    writeLayout(home, after);
  }
  process.stdout.write(`devnet in ${home} is down\n`);
  return 0;
}

async function status(home: string): Promise<number> {
  const layout: DevnetLayout | undefined = readLayout(home);
  if (!layout) {
    process.stdout.write(`no devnet in ${home} (${layoutPath(home)} missing)\n`);
    return 1;
  }
  process.stdout.write(`devnet "${layout.chainId}" in ${home}; supervisor ${supervisorAlive(layout) ? `pid ${layout.supervisorPid}` : 'not running'}\n`);
  let down = 0;
  for (const n of layout.nodes) {
    const pids = layout.pids?.[String(n.index)] ?? {};
    const procs = `cometbft ${pids.cometbft && isAlive(pids.cometbft) ? 'up' : 'down'}, abci ${pids.abci && isAlive(pids.abci) ? 'up' : 'down'}`;
    try {
      const s = await new CometRpc(n.rpc, { timeoutMs: 2000 }).status();
      const si = s.sync_info;
      process.stdout.write(
        `  ${n.name}  ${n.rpc}  height ${si.latest_block_height}  app_hash ${si.latest_app_hash}  ` +
          `power ${s.validator_info.voting_power}${si.catching_up ? '  catching up' : ''}  (${procs})\n`,
      );
    } catch {
      down++;
      process.stdout.write(`  ${n.name}  ${n.rpc}  not responding  (${procs})\n`);
    }
  }
  return down === layout.nodes.length ? 1 : 0;
}

function cmdlineHas(pid: number, needle: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(needle);
  } catch {
    return process.platform !== 'linux'; // no /proc: trust the pidfile
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    // Known conditions get their message only; anything else its stack with CUSTOS_DEBUG=1.
    const known = e instanceof GoMissingError || e instanceof PortInUseError || !process.env.CUSTOS_DEBUG;
    process.stderr.write(`devnet: ${e instanceof Error ? (known ? e.message : (e.stack ?? e.message)) : String(e)}\n`);
    process.exit(1);
  },
);
