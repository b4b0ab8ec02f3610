// A local multi-validator CometBFT devnet on loopback, each node with its own ABCI process.
//
//   const net = await startDevnet({ home, validators: 4 });
//   net.nodes[0].rpc                      // http://127.0.0.1:26601
//   await net.stopNode(3); await net.startNode(3);
//   const extra = await net.addFullNode(); // a 5th node, not a validator (yet)
//   await net.stop();
//
// Layout under home: devnet.json (the plan and the running pids), node<i>/cometbft (CMTHOME),
// node<i>/app (ledger state), node<i>/cometbft.log, node<i>/abci.log.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CometRpc, sleep } from '../client/rpc';
import { ensureCometbft } from './cometbft-binary';
import { setTomlValues } from './config-toml';
import { buildGenesisDoc } from './genesis-doc';
import { deriveKey, nodeId, nodeKeyJson, PRIV_VALIDATOR_STATE_JSON, privValidatorKeyJson } from './keys';
import { ABCI_MAIN, defaultDevnetHome, PROJECT_ROOT } from './paths';
import { assertPortsFree, portsFor } from './ports';
import type { NodePorts } from './ports';
import { isAlive, spawnLogged, stopPid, tail } from './processes';
import type { Spawned } from './processes';
import { demoAppState } from './app-state';

const run = promisify(execFile);

export interface DevnetOptions {
  /** Data directory (default $CUSTOS_DEVNET_HOME or network/.devnet). */
  home?: string;
  /** Number of genesis validators (default 4). */
  validators?: number;
  /** First loopback port; node i uses base + 10·i + {0 p2p, 1 rpc, 2 abci} (default 26600). */
  basePort?: number;
  chainId?: string;
  /** Seed for every key and for the demo genesis app_state (default "custos-devnet"). */
  seed?: string;
  /** consensus.timeout_commit (default "400ms"). */
  timeoutCommit?: string;
  /** consensus.create_empty_blocks_interval (default "1s"; "0s" = an empty block every round). */
  emptyBlocksInterval?: string;
  /** CometBFT log_level (default "main:info,state:info,*:error"). */
  cometLogLevel?: string;
  abciLogLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Wipe home and start a new chain (default: reuse the chain found in home). */
  reset?: boolean;
  /** Wait until every node reports at least this height (default 2). */
  readyHeight?: bigint;
  /** Bound on that wait (default 120 s). */
  readyTimeoutMs?: number;
  /** Path to a cometbft binary; default: build/locate the pinned one. */
  cometbft?: string;
  /** ABCI entry script run by `node --import tsx` (default network/abci/main.ts). */
  abciMain?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface DevnetNode {
  index: number;
  name: string;
  home: string;
  /** http://127.0.0.1:PORT */
  rpc: string;
  ports: NodePorts;
  nodeId: string;
  /** In the genesis validator set. Full nodes added later are not (until governance promotes them). */
  genesisValidator: boolean;
  /** This node's consensus key (base64 ed25519 pubkey, upper-hex address). */
  validatorPubKey: string;
  validatorAddress: string;
  logs: { cometbft: string; abci: string };
}

/** devnet.json */
export interface DevnetLayout {
  format: 1;
  chainId: string;
  seed: string;
  basePort: number;
  validators: number;
  cometbft: string;
  createdAt: string;
  nodes: DevnetNode[];
  /** pid of the process supervising the devnet (the `up` command or a test), when running. */
  supervisorPid?: number;
  pids: Record<string, { abci?: number; cometbft?: number }>;
}

export interface Devnet {
  readonly home: string;
  readonly chainId: string;
  /** The seed of every key and of the demo genesis (shared/ledger/genesis.ts buildDemoGenesis). */
  readonly seed: string;
  readonly nodes: DevnetNode[];
  rpc(i: number): CometRpc;
  isRunning(i: number): boolean;
  stop(): Promise<void>;
  stopNode(i: number): Promise<void>;
  startNode(i: number): Promise<void>;
  /**
   * Adds a node that is not in the validator set, with its own consensus key (derived from
   * the seed like the others), syncs it, and returns it; a governance proposal can then
   * add node.validatorPubKey to the validator set.
   */
  addFullNode(opts?: { waitSynced?: boolean; timeoutMs?: number }): Promise<DevnetNode>;
  /** Waits until the given nodes (default: all running) reach height h. */
  waitForHeight(h: bigint, opts?: { nodes?: number[]; timeoutMs?: number }): Promise<void>;
}

const LAYOUT = 'devnet.json';
const DEFAULTS = {
  validators: 4,
  basePort: 26600,
  chainId: 'custos-devnet',
  seed: 'custos-devnet',
  timeoutCommit: '400ms',
  emptyBlocksInterval: '1s',
  cometLogLevel: 'main:info,state:info,*:error',
  abciLogLevel: 'info' as DevnetOptions['abciLogLevel'] & string,
};

export function layoutPath(home: string): string {
  return join(home, LAYOUT);
}

export function readLayout(home: string): DevnetLayout | undefined {
  const p = layoutPath(home);
  if (!existsSync(p)) return undefined;
  return JSON.parse(readFileSync(p, 'utf8')) as DevnetLayout;
}

export function writeLayout(home: string, layout: DevnetLayout): void {
  const p = layoutPath(home);
  writeFileSync(`${p}.tmp`, JSON.stringify(layout, null, 2));
  // rename is atomic: a concurrent `status` or `down` never sees half a file
  renameSync(`${p}.tmp`, p);
}

/** True when devnet.json names a supervisor that is still alive. */
export function supervisorAlive(layout: DevnetLayout): boolean {
  return layout.supervisorPid !== undefined && layout.supervisorPid !== process.pid && isAlive(layout.supervisorPid);
}

export async function startDevnet(opts: DevnetOptions = {}): Promise<Devnet> {
  const o = { ...DEFAULTS, ...stripUndefined(opts) };
  const home = resolve(opts.home ?? defaultDevnetHome());
  const say = opts.log ?? (() => {});

  let layout = readLayout(home);
  if (layout && opts.reset) {
    if (supervisorAlive(layout)) throw new Error(`a devnet is running in ${home} (pid ${layout.supervisorPid}); stop it first (npm run devnet -- down)`);
    say(`resetting ${home}`);
    rmSync(home, { recursive: true, force: true });
    layout = undefined;
  }
  if (layout) {
    if (supervisorAlive(layout)) throw new Error(`a devnet is already running in ${home} (pid ${layout.supervisorPid}); use \`npm run devnet -- down\` or another --home`);
    const clash = (
      [
        ['validators', layout.validators, o.validators],
        ['basePort', layout.basePort, o.basePort],
        ['chainId', layout.chainId, o.chainId],
        ['seed', layout.seed, o.seed],
      ] as const
    ).filter(([k, had, want]) => opts[k] !== undefined && had !== want);
    if (clash.length > 0) {
      throw new Error(
        `${home} holds a devnet created with ${clash.map(([k, had]) => `${k}=${had}`).join(', ')}; ` +
          'pass --reset to start a new chain there, or use another --home',
      );
    }
    say(`reusing the chain in ${home} (${layout.nodes.length} nodes, chain id ${layout.chainId})`);
  }

  // Fail fast on taken ports, before a build or an init (checked again right before starting).
  const planned = layout
    ? layout.nodes.map((n) => ({ name: n.name, ports: n.ports }))
    : Array.from({ length: o.validators }, (_, i) => ({ name: `node${i}`, ports: portsFor(o.basePort, i) }));
  const portList = planned.flatMap((n) => Object.entries(n.ports).map(([what, port]) => ({ port, what: `${n.name} ${what}` })));
  await assertPortsFree(portList);

  const cometbft = opts.cometbft ?? (await ensureCometbft({ onProgress: say }));
  if (!layout) {
    layout = await initDevnet(home, cometbft, o, say);
  } else {
    layout.cometbft = cometbft;
  }
  layout.supervisorPid = process.pid;
  layout.pids = {};
  writeLayout(home, layout);

  const net = new RunningDevnet(home, layout, o, say);
  // Last resort if the supervising process dies without stop() (an uncaught error, a test
  // runner exiting): the children are detached, so signal them here, synchronously.
  const onExit = () => net.killAllNow();
  process.once('exit', onExit);
  net.onStopped = () => process.removeListener('exit', onExit);
  try {
    await assertPortsFree(portList);
    for (const n of layout.nodes) await net.startApp(n.index);
    for (const n of layout.nodes) await net.startComet(n.index);
    const t0 = Date.now();
    await net.waitForHeight(opts.readyHeight ?? 2n, { timeoutMs: opts.readyTimeoutMs ?? 120_000 });
    say(`all ${layout.nodes.length} nodes at height ≥ ${opts.readyHeight ?? 2n} after ${Date.now() - t0} ms`);
  } catch (e) {
    await net.stop();
    throw e;
  }
  return net;
}

type Resolved = DevnetOptions & typeof DEFAULTS;

async function initDevnet(home: string, cometbft: string, o: Resolved, say: (l: string) => void): Promise<DevnetLayout> {
  if (!Number.isInteger(o.validators) || o.validators < 1 || o.validators > 50) throw new Error(`--validators must be 1..50, got ${o.validators}`);
  mkdirSync(home, { recursive: true });
  say(`initialising ${o.validators} validators in ${home}`);
  const nodes = Array.from({ length: o.validators }, (_, i) => describeNode(home, o.basePort, o.seed, i, true));
  const appState = demoAppState(o.seed);
  const genesis = buildGenesisDoc({
    chainId: o.chainId,
    genesisTime: new Date(),
    validators: nodes.map((n, i) => ({ name: n.name, key: deriveKey(o.seed, 'validator', i), power: 10n })),
    appState,
  });
  writeFileSync(join(home, 'genesis.json'), JSON.stringify(genesis, null, 2));
  for (const n of nodes) await initNode(cometbft, home, n, nodes, o);
  const layout: DevnetLayout = {
    format: 1,
    chainId: o.chainId,
    seed: o.seed,
    basePort: o.basePort,
    validators: o.validators,
    cometbft,
    createdAt: new Date().toISOString(),
    nodes,
    pids: {},
  };
  writeLayout(home, layout);
  return layout;
}

function describeNode(home: string, basePort: number, seed: string, i: number, genesisValidator: boolean): DevnetNode {
  const ports = portsFor(basePort, i);
  const val = deriveKey(seed, 'validator', i);
  const nodeHome = join(home, `node${i}`);
  return {
    index: i,
    name: `node${i}`,
    home: nodeHome,
    rpc: `http://127.0.0.1:${ports.rpc}`,
    ports,
    nodeId: nodeId(deriveKey(seed, 'node', i)),
    genesisValidator,
    validatorPubKey: Buffer.from(val.pubKey).toString('base64'),
    validatorAddress: val.address,
    logs: { cometbft: join(nodeHome, 'cometbft.log'), abci: join(nodeHome, 'abci.log') },
  };
}

/** `cometbft init` for the config template, then our keys, genesis and loopback config. */
async function initNode(cometbft: string, home: string, n: DevnetNode, peers: DevnetNode[], o: Resolved): Promise<void> {
  const cmtHome = join(n.home, 'cometbft');
  mkdirSync(join(n.home, 'app'), { recursive: true });
  await run(cometbft, ['init', '--home', cmtHome], { timeout: 60_000 });
  const seedIndex = n.index;
  writeFileSync(join(cmtHome, 'config', 'priv_validator_key.json'), privValidatorKeyJson(deriveKey(o.seed, 'validator', seedIndex)), { mode: 0o600 });
  writeFileSync(join(cmtHome, 'config', 'node_key.json'), nodeKeyJson(deriveKey(o.seed, 'node', seedIndex)), { mode: 0o600 });
  writeFileSync(join(cmtHome, 'data', 'priv_validator_state.json'), PRIV_VALIDATOR_STATE_JSON);
  writeFileSync(join(cmtHome, 'config', 'genesis.json'), readFileSync(join(home, 'genesis.json')));

  const cfgPath = join(cmtHome, 'config', 'config.toml');
  let toml = readFileSync(cfgPath, 'utf8');
  toml = setTomlValues(toml, '', {
    proxy_app: `tcp://127.0.0.1:${n.ports.abci}`,
    moniker: n.name,
    abci: 'socket',
    log_level: o.cometLogLevel,
  });
  toml = setTomlValues(toml, 'rpc', { laddr: `tcp://127.0.0.1:${n.ports.rpc}` });
  toml = setTomlValues(toml, 'p2p', {
    laddr: `tcp://127.0.0.1:${n.ports.p2p}`,
    external_address: `127.0.0.1:${n.ports.p2p}`,
    persistent_peers: peers
      .filter((p) => p.index !== n.index)
      .map((p) => `${p.nodeId}@127.0.0.1:${p.ports.p2p}`)
      .join(','),
    addr_book_strict: false,
    allow_duplicate_ip: true,
    flush_throttle_timeout: '10ms',
  });
  toml = setTomlValues(toml, 'mempool', { size: 50000, cache_size: 100000, recheck_timeout: '5s' });
  toml = setTomlValues(toml, 'consensus', {
    timeout_propose: '1s',
    timeout_commit: o.timeoutCommit,
    create_empty_blocks: true,
    create_empty_blocks_interval: o.emptyBlocksInterval,
  });
  toml = setTomlValues(toml, 'instrumentation', { prometheus: false });
  writeFileSync(cfgPath, toml);
}

class RunningDevnet implements Devnet {
  private readonly procs = new Map<number, { abci?: Spawned; cometbft?: Spawned }>();
  private readonly clients = new Map<number, CometRpc>();
  private stopped = false;
  onStopped: (() => void) | undefined;

  constructor(
    readonly home: string,
    private readonly layout: DevnetLayout,
    private readonly o: Resolved,
    private readonly say: (l: string) => void,
  ) {}

  get chainId(): string {
    return this.layout.chainId;
  }

  get seed(): string {
    return this.layout.seed;
  }

  get nodes(): DevnetNode[] {
    return this.layout.nodes;
  }

  rpc(i: number): CometRpc {
    let c = this.clients.get(i);
    if (!c) {
      c = new CometRpc(this.node(i).rpc, { timeoutMs: 5000 });
      this.clients.set(i, c);
    }
    return c;
  }

  isRunning(i: number): boolean {
    const p = this.procs.get(i);
    return !!p?.cometbft && isAlive(p.cometbft.pid);
  }

  async startApp(i: number): Promise<void> {
    const n = this.node(i);
    const abci = spawnLogged(
      process.execPath,
      ['--import', 'tsx', this.o.abciMain ?? ABCI_MAIN, '--addr', `tcp://127.0.0.1:${n.ports.abci}`, '--home', join(n.home, 'app'), '--log-level', this.o.abciLogLevel],
      n.logs.abci,
      PROJECT_ROOT,
    );
    this.track(i, 'abci', abci);
    await waitForPort(n.ports.abci, 30_000, abci, n.logs.abci);
  }

  async startComet(i: number): Promise<void> {
    const n = this.node(i);
    const comet = spawnLogged(this.layout.cometbft, ['start', '--home', join(n.home, 'cometbft')], n.logs.cometbft, PROJECT_ROOT);
    this.track(i, 'cometbft', comet);
    this.say(`${n.name}: cometbft pid ${comet.pid}, rpc ${n.rpc}`);
  }

  async startNode(i: number): Promise<void> {
    if (this.isRunning(i)) return;
    const n = this.node(i);
    await assertPortsFree(Object.entries(n.ports).map(([what, port]) => ({ port, what: `${n.name} ${what}` })));
    await this.startApp(i);
    await this.startComet(i);
  }

  async stopNode(i: number): Promise<void> {
    const p = this.procs.get(i);
    if (!p) return;
    this.procs.delete(i); // before the kill, so the exit is not reported as unexpected
    // Stop consensus first so it never sees its app vanish mid-block.
    if (p.cometbft) await stopPid(p.cometbft.pid);
    if (p.abci) await stopPid(p.abci.pid, 5000);
    delete this.layout.pids[String(i)];
    this.save();
    this.say(`${this.node(i).name}: stopped`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const all = [...this.procs.entries()];
    await Promise.all(all.map(([, p]) => (p.cometbft ? stopPid(p.cometbft.pid) : undefined)));
    await Promise.all(all.map(([, p]) => (p.abci ? stopPid(p.abci.pid, 5000) : undefined)));
    this.procs.clear();
    this.layout.pids = {};
    delete this.layout.supervisorPid;
    this.save();
    this.onStopped?.();
    this.say('devnet stopped');
  }

  /** Synchronous SIGTERM to every child (for process 'exit'). */
  killAllNow(): void {
    for (const p of this.procs.values()) {
      for (const s of [p.cometbft, p.abci]) {
        try {
          if (s) process.kill(s.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
  }

  async addFullNode(opts: { waitSynced?: boolean; timeoutMs?: number } = {}): Promise<DevnetNode> {
    const i = this.layout.nodes.length;
    const n = describeNode(this.home, this.layout.basePort, this.layout.seed, i, false);
    await assertPortsFree(Object.entries(n.ports).map(([what, port]) => ({ port, what: `${n.name} ${what}` })));
    const validators = this.layout.nodes.filter((v) => v.genesisValidator);
    await initNode(this.layout.cometbft, this.home, n, validators, this.o);
    this.layout.nodes.push(n);
    this.save();
    await this.startApp(i);
    await this.startComet(i);
    if (opts.waitSynced !== false) {
      const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
      const source = validators.find((v) => this.isRunning(v.index))?.index ?? 0;
      for (;;) {
        const target = await this.rpc(source).height();
        await this.waitForHeight(target, { nodes: [i], timeoutMs: Math.max(1000, deadline - Date.now()) });
        const st = await this.rpc(i).status();
        if (!st.sync_info.catching_up) break;
        if (Date.now() > deadline) throw new Error(`${n.name} still catching up after ${opts.timeoutMs ?? 120_000} ms`);
        await sleep(250);
      }
    }
    this.say(`${n.name}: full node up, consensus key ${n.validatorPubKey}`);
    return n;
  }

  async waitForHeight(h: bigint, opts: { nodes?: number[]; timeoutMs?: number } = {}): Promise<void> {
    const which = opts.nodes ?? this.layout.nodes.map((n) => n.index).filter((i) => this.procs.has(i));
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    const heights = new Map<number, string>();
    for (;;) {
      let done = true;
      for (const i of which) {
        const p = this.procs.get(i);
        for (const [what, s] of Object.entries(p ?? {})) {
          if (s && !isAlive(s.pid)) {
            const n = this.node(i);
            throw new Error(`${n.name}: ${what} exited; last log lines:\n${tail(what === 'abci' ? n.logs.abci : n.logs.cometbft)}`);
          }
        }
        try {
          const got = await this.rpc(i).height();
          heights.set(i, String(got));
          if (got < h) done = false;
        } catch (e) {
          heights.set(i, (e as Error).message.slice(0, 80));
          done = false;
        }
      }
      if (done) return;
      if (Date.now() > deadline) {
        throw new Error(`nodes did not reach height ${h} in time: ${which.map((i) => `${this.node(i).name}=${heights.get(i)}`).join(', ')}`);
      }
      await sleep(250);
    }
  }

  private node(i: number): DevnetNode {
    const n = this.layout.nodes[i];
    if (!n) throw new Error(`no node ${i} (devnet has ${this.layout.nodes.length})`);
    return n;
  }

  private track(i: number, what: 'abci' | 'cometbft', s: Spawned): void {
    const p = this.procs.get(i) ?? {};
    p[what] = s;
    this.procs.set(i, p);
    this.layout.pids[String(i)] = { ...this.layout.pids[String(i)], [what]: s.pid };
    this.save();
    void s.exited.then((code) => {
      if (!this.stopped && this.procs.get(i)?.[what] === s) this.say(`${this.node(i).name}: ${what} exited unexpectedly (code ${code}); see ${this.node(i).logs[what]}`);
    });
  }

  private save(): void {
    writeLayout(this.home, this.layout);
  }
}

/** Polls until something accepts on 127.0.0.1:port; fails early if the process exits. */
async function waitForPort(port: number, timeoutMs: number, proc: Spawned, log: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(proc.pid) || proc.child.exitCode !== null) throw new Error(`ABCI app exited before listening on ${port}; last log lines:\n${tail(log)}`);
    const ok = await new Promise<boolean>((r) => {
      const s = connect({ port, host: '127.0.0.1' });
      s.once('connect', () => (s.destroy(), r(true)));
      s.once('error', () => r(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`ABCI app did not listen on ${port} within ${timeoutMs} ms; last log lines:\n${tail(log)}`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
