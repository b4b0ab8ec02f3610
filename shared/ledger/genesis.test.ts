import { describe, expect, it } from 'vitest';
import { buildDemoGenesis, demoMember } from './genesis';
import { LedgerMachine } from './machine';
import { keyFromSeed } from './client/index';
import { ORG_KINDS } from './vocab';
import { DEFAULT_POLICY } from './policy';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const VAL = [{ pubKeyType: 'ed25519' as const, pubKey: keyFromSeed(new Uint8Array(32).fill(9)).publicKey, power: 10n }];

describe('demo genesis (PROTOCOL §10)', () => {
  it('is deterministic from its seed, covers every org kind, and has a board of five', () => {
    const a = buildDemoGenesis('seed-1');
    const b = buildDemoGenesis('seed-1');
    const c = buildDemoGenesis('seed-2');
    expect(JSON.stringify(a.appState)).toBe(JSON.stringify(b.appState));
    expect(JSON.stringify(a.appState)).not.toBe(JSON.stringify(c.appState));
    expect(new Set(a.orgs.map((o) => o.kind))).toEqual(new Set(ORG_KINDS));
    expect(a.board).toHaveLength(5);
    expect(a.appState.board).toEqual(a.board.map((m) => m.pubkey).sort());
    expect(keyFromSeed(demoMember(a, 'central-lab', 'technician', 2).seed).pubkey).toBe(demoMember(a, 'central-lab', 'technician', 2).pubkey);
    // No seed material in the app_state.
    const text = JSON.stringify(a.appState);
    for (const m of a.members) expect(text).not.toContain(hex(m.seed));
    expect(buildDemoGenesis('seed-1', { patients: 3 }).appState.patients).toHaveLength(3);
  });

  it('the genesis AppHash is a pinned vector (changes to state layout or hashing must update PROTOCOL.md)', () => {
    const g = buildDemoGenesis('custos-demo');
    const r = LedgerMachine.fromGenesis('custos-devnet', g.appState, 1n, VAL);
    expect(hex(r.appHash)).toBe(GENESIS_VECTOR);
    expect(r.validators).toHaveLength(1);
    expect(r.machine.info()).toEqual({ lastBlockHeight: 0n, lastBlockAppHash: r.appHash });
    // app_state may arrive as bytes (InitChain's app_state_bytes) or text: same result.
    const bytes = new TextEncoder().encode(JSON.stringify(g.appState, null, 2));
    expect(hex(LedgerMachine.fromGenesis('custos-devnet', bytes, 1n, VAL).appHash)).toBe(GENESIS_VECTOR);
  });

  it('app_state validators replace the CometBFT genesis validators', () => {
    const pk = keyFromSeed(new Uint8Array(32).fill(3)).pubkey;
    const g = buildDemoGenesis('x', { validators: [{ pub_key: pk, power: 7 }] });
    const r = LedgerMachine.fromGenesis('c', g.appState, 1n, VAL);
    expect(r.validators.map((v) => [hex(v.pubKey), v.power])).toEqual([[pk, 7n]]);
  });

  it('refuses an invalid app_state, naming the field', () => {
    const g = buildDemoGenesis('x');
    const bad = (mut: (s: Record<string, unknown>) => void) => {
      const s = JSON.parse(JSON.stringify(g.appState));
      mut(s);
      try { LedgerMachine.fromGenesis('c', s, 1n, VAL); } catch (e) { return (e as Error).message; }
      return 'accepted';
    };
    expect(bad((s) => { (s.policy as Record<string, unknown>).quorum_bps = 0; })).toMatch(/^app_state\.policy\.quorum_bps/);
    expect(bad((s) => { (s.members as { org: string }[])[0]!.org = 'nowhere'; })).toMatch(/^app_state\.members\[0\]\.org/);
    expect(bad((s) => { s.board = []; })).toMatch(/^app_state\.board/);
    expect(bad((s) => { (s.policy as Record<string, unknown>).purposes = { TREAT: 'ETREAT', ETREAT: 'TREAT' }; })).toMatch(/cycle/);
    expect(bad((s) => { s.extra = 1; })).toMatch(/^app_state\.extra/);
    expect(bad(() => {})).toBe('accepted');
    expect(DEFAULT_POLICY.voting_period_blocks).toBeGreaterThan(0);
  });
});

const GENESIS_VECTOR = '8895a93ab537daa8d28e446f6e1a9e8a8fb8213b08dde999c6018df077081f33';
