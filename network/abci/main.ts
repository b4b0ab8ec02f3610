// Entry point of one node's ABCI application process:
//   npx tsx network/abci/main.ts --addr tcp://127.0.0.1:26658 --home DIR [--log-level info]
// DIR holds this node's ledger state (see state-store.ts). CometBFT connects to --addr
// (its config.toml proxy_app, abci = "socket").
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { LedgerMachine } from '../../shared/ledger/machine';
import { AbciApp } from './app';
import { AbciServer } from './server';
import { StateStore } from './state-store';
import { createLogger } from './log';
import { ledgerTxOrderKey } from './order';
import type { Level } from './log';
import type { LedgerFactory } from './ledger-port';

const USAGE = 'usage: tsx network/abci/main.ts --addr tcp://127.0.0.1:PORT --home DIR [--log-level debug|info|warn|error]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      addr: { type: 'string', default: 'tcp://127.0.0.1:26658' },
      home: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.home) throw new Error(`--home is required\n${USAGE}`);
  const level = values['log-level'] as Level;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error(`bad --log-level ${level}`);
  const log = createLogger(level);

  // OpenSSL's SHA-256 for tx ids and the AppHash (MachineOptions.sha256): same results, less time.
  const sha256 = (d: Uint8Array | string): Uint8Array => new Uint8Array(createHash('sha256').update(d).digest());
  const factory: LedgerFactory = {
    fromGenesis: (chainId, appState, initialHeight, validators) => LedgerMachine.fromGenesis(chainId, appState, initialHeight, validators, { sha256 }),
    restore: (snapshot) => LedgerMachine.restore(snapshot, { sha256 }),
  };
  // The state file holds the whole ledger, so it is written at most every 5 s while there are
  // transactions, every 500 blocks otherwise, and on shutdown; a node that dies in between
  // replays its last blocks from CometBFT's store.
  const app = new AbciApp({
    factory,
    store: new StateStore(resolve(values.home)),
    log,
    txOrderKey: ledgerTxOrderKey,
    persist: { everyBlocks: 500, everyMs: 5000 },
  });
  const server = new AbciServer(app, log);
  await server.listen(values.addr!);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    try {
      app.persistNow();
    } catch (e) {
      log.error('could not save state on shutdown', { err: e });
    }
    const timer = setTimeout(() => process.exit(0), 3000);
    timer.unref();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`abci: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
