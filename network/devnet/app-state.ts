// The genesis app_state of the devnet: the deterministic demo genesis of
// shared/ledger/genesis.ts, from the devnet seed, with DEVNET_GENESIS_PATIENTS pseudonymous
// patients already enrolled (as if migrated when the ledger started; the workload registers
// more by transaction). The workload generator rebuilds the same DemoGenesis from
// devnet.json's seed to get the members' and patients' keys. Validators are left out of
// app_state, so the ledger takes CometBFT's genesis validators (PROTOCOL.md §10).
import { buildDemoGenesis } from '../../shared/ledger/genesis';

export const DEVNET_GENESIS_PATIENTS = 2000;

export function demoAppState(seed: string, patients = DEVNET_GENESIS_PATIENTS): unknown {
  return buildDemoGenesis(seed, { patients }).appState;
}
