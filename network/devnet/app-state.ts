// The genesis app_state of the devnet: the deterministic demo genesis of
// shared/ledger/genesis.ts, from the devnet seed. The workload generator rebuilds the same
// DemoGenesis from devnet.json's seed to get the members' keys. Validators are left out of
// app_state, so the ledger takes CometBFT's genesis validators (PROTOCOL.md §10).
import { buildDemoGenesis } from '../../shared/ledger/genesis';

export function demoAppState(seed: string): unknown {
  return buildDemoGenesis(seed).appState;
}
