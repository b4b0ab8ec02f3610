// The state before the first block, from the genesis document alone (the only trust anchor):
// state/state.go MakeGenesisState (after types/genesis.go ValidateAndComplete), then InitChain
// as consensus/replay.go ReplayBlocks runs it at app height 0.
import { bytesEqual, toHex } from '../cometbft/bytes';
import { zeroBlockId } from '../cometbft/decode-block';
import { MAX_CHAIN_ID_LEN } from '../cometbft/header-checks';
import { validatorAddress } from '../cometbft/hash';
import { merkleRoot } from '../cometbft/merkle';
import type { GenesisDoc } from '../cometbft/types';
import { fail, type Failure } from '../cometbft/verdict';
import { LEDGER_APP_VERSION, type MachineFactory, type MachineHooks, type ReplayMachine } from './machine';
import { zeroCounters, type VerifierState } from './state';
import { newValidatorSet } from './validator-updates';

export interface GenesisOptions {
  factory: MachineFactory;
  hooks: MachineHooks;
  appVersion?: bigint;
}

export function genesisState(g: GenesisDoc, opts: GenesisOptions): { state: VerifierState; machine: ReplayMachine } | Failure {
  const bad = (expected: string, found: string, detail?: string): Failure => fail(0n, 'genesis', expected, found, detail);
  // types/genesis.go ValidateAndComplete
  if (g.chainId.length === 0) return bad('a chain id', 'an empty chain id');
  if (g.chainId.length > MAX_CHAIN_ID_LEN) return bad(`a chain id of at most ${MAX_CHAIN_ID_LEN} characters`, `${g.chainId.length} characters`);
  if (g.initialHeight < 0n) return bad('a non-negative initial_height', String(g.initialHeight));
  const initialHeight = g.initialHeight === 0n ? 1n : g.initialHeight;
  for (const [i, v] of g.validators.entries()) {
    if (v.power === 0n) return bad('genesis validators with voting power', 'power 0', `validator #${i}`);
    const derived = validatorAddress(v.pubKey);
    if (!bytesEqual(derived, v.address)) return bad(`address ${toHex(derived)} (derived from the key)`, toHex(v.address), `validator #${i}`);
  }
  // MakeGenesisState: NewValidatorSet(genesis validators)
  const genesisSet = newValidatorSet(g.validators.map((v) => ({ pubKeyType: v.pubKeyType, pubKey: v.pubKey, power: v.power })), 0n);
  if ('ok' in genesisSet) return { ...genesisSet, check: 'genesis' };
  // InitChain with the sorted set (types.TM2PB.ValidatorUpdates(validatorSet)).
  let init;
  try {
    init = opts.factory.fromGenesis(g.chainId, g.appState, initialHeight,
      genesisSet.validators.map((v) => ({ pubKeyType: v.pubKeyType, pubKey: v.pubKey, power: v.votingPower })), opts.hooks);
  } catch (e) {
    return fail(0n, 'app.replay', 'InitChain to accept the genesis app_state', (e as Error).message ?? String(e), 'InitChain');
  }
  let validators = genesisSet;
  if (init.validators.length > 0) {
    const fromApp = newValidatorSet(init.validators, 0n);
    if ('ok' in fromApp) return { ...fromApp, detail: `InitChain validators: ${fromApp.detail ?? ''}` };
    validators = fromApp;
  } else if (genesisSet.validators.length === 0) {
    return bad('validators in the genesis or from InitChain', 'none', 'validator set is nil in genesis and still empty after InitChain');
  }
  return {
    machine: init.machine,
    state: {
      chainId: g.chainId,
      initialHeight,
      genesisTime: g.genesisTime,
      appVersion: opts.appVersion ?? LEDGER_APP_VERSION,
      lastHeight: 0n,
      lastBlockId: zeroBlockId(),
      lastBlockTime: g.genesisTime,
      lastValidators: { validators: [] },
      validators,
      nextValidators: validators,
      consensusParams: g.consensusParams,
      // "If the app did not return an app hash, we keep the one set from the genesis doc."
      appHash: init.appHash.length > 0 ? init.appHash : g.appHash,
      // "We update the last results hash with the empty hash, to conform with RFC-6962."
      lastResultsHash: merkleRoot([]),
      counters: zeroCounters(),
    },
  };
}
