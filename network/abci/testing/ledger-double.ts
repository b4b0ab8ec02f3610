// A tiny stand-in for shared/ledger/machine.ts LedgerMachine, for the ABCI server's unit
// tests only: a key/value store where a tx is "key=value".
//   "badsig:..."   → refused with code 2 (as a bad signature would be)
//   a tx already committed → refused with code 3 (replay)
//   no "="         → refused with code 1 (malformed)
//   "val:<hex32>=<power>" → a validator update
import { createHash } from 'node:crypto';
import type { BlockInput, BlockOutput, Ledger, TxResult, ValidatorUpdate } from '../ledger-port';

interface State {
  height: string;
  appHash: string;
  kv: Record<string, string>;
  seen: string[];
}

const ok = (log = ''): TxResult => ({ code: 0, data: new Uint8Array(0), log, codespace: '', gasWanted: 0n, gasUsed: 0n, events: [] });
const refuse = (code: number, log: string): TxResult => ({ ...ok(log), code, codespace: 'double' });

export class LedgerDouble implements Ledger {
  private pending: State | undefined;

  private constructor(private state: State) {}

  static fromGenesis(chainId: string, appState: unknown, initialHeight: bigint, genesisValidators: ValidatorUpdate[]) {
    const kv = { ...((appState as { kv?: Record<string, string> } | null)?.kv ?? {}), chain: chainId };
    const state: State = { height: String(initialHeight - 1n), appHash: '', kv, seen: [] };
    state.appHash = hashOf(state);
    return { machine: new LedgerDouble(state), validators: genesisValidators, appHash: Buffer.from(state.appHash, 'hex') };
  }

  static restore(snapshot: Uint8Array): LedgerDouble {
    return new LedgerDouble(JSON.parse(Buffer.from(snapshot).toString('utf8')) as State);
  }

  checkTx(tx: Uint8Array): TxResult {
    return this.judge(this.state, tx);
  }

  finalizeBlock(block: BlockInput): BlockOutput {
    const next: State = { ...this.state, kv: { ...this.state.kv }, seen: [...this.state.seen], height: String(block.height) };
    const validatorUpdates: ValidatorUpdate[] = [];
    const txResults = block.txs.map((tx) => {
      const r = this.judge(next, tx);
      if (r.code !== 0) return r;
      const s = Buffer.from(tx).toString('utf8');
      const [k, v] = s.split('=') as [string, string];
      next.kv[k] = v;
      next.seen.push(s);
      if (k.startsWith('val:')) validatorUpdates.push({ pubKeyType: 'ed25519', pubKey: Buffer.from(k.slice(4), 'hex'), power: BigInt(v) });
      return { ...r, events: [{ type: 'kv', attributes: [{ key: 'key', value: k, index: true }] }] };
    });
    next.appHash = hashOf(next);
    this.pending = next;
    return { txResults, validatorUpdates, events: [{ type: 'kvblock', attributes: [{ key: 'height', value: next.height, index: false }] }], appHash: Buffer.from(next.appHash, 'hex') };
  }

  commit(): void {
    if (!this.pending) throw new Error('commit without finalizeBlock');
    this.state = this.pending;
    this.pending = undefined;
  }

  info() {
    return { lastBlockHeight: BigInt(this.state.height), lastBlockAppHash: Buffer.from(this.state.appHash, 'hex') };
  }

  query(path: string, data: Uint8Array) {
    if (path !== '/kv') return { code: 1, value: new Uint8Array(0), log: `unknown path ${path}`, height: BigInt(this.state.height) };
    const v = this.state.kv[Buffer.from(data).toString('utf8')];
    return { code: v === undefined ? 4 : 0, value: Buffer.from(v ?? ''), log: v === undefined ? 'not found' : '', height: BigInt(this.state.height) };
  }

  snapshot(): Uint8Array {
    return Buffer.from(JSON.stringify(this.state));
  }

  private judge(state: State, tx: Uint8Array): TxResult {
    const s = Buffer.from(tx).toString('utf8');
    if (s.startsWith('throw')) throw new Error('double told to throw');
    if (s.startsWith('badsig:')) return refuse(2, 'signature does not verify');
    if (!s.includes('=')) return refuse(1, 'malformed tx: want key=value');
    if (state.seen.includes(s)) return refuse(3, 'replay: tx already committed');
    return ok();
  }
}

function hashOf(s: State): string {
  const body = JSON.stringify({ height: s.height, kv: Object.entries(s.kv).sort(), seen: s.seen });
  return createHash('sha256').update(body).digest('hex');
}
