// The CometBFT genesis document of the devnet (types/genesis.go GenesisDoc, JSON as
// `cometbft init` writes it for v0.38).
import type { Ed25519Key } from './keys';
import { APP_PROTOCOL_VERSION } from '../abci/app';

export interface GenesisValidator {
  name: string;
  key: Ed25519Key;
  power: bigint;
}

export interface GenesisDocInput {
  chainId: string;
  genesisTime: Date;
  validators: GenesisValidator[];
  appState: unknown;
  /** Max block size in bytes (consensus_params.block.max_bytes). */
  maxBlockBytes?: number;
}

export function buildGenesisDoc(g: GenesisDocInput): Record<string, unknown> {
  return {
    genesis_time: g.genesisTime.toISOString(),
    chain_id: g.chainId,
    initial_height: '1',
    consensus_params: {
      block: { max_bytes: String(g.maxBlockBytes ?? 4 * 1024 * 1024), max_gas: '-1' },
      evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
      validator: { pub_key_types: ['ed25519'] },
      // consensus/replay.go Handshaker: the block header's version.app comes from
      // ResponseInfo.app_version; keep the genesis params saying the same.
      version: { app: String(APP_PROTOCOL_VERSION) },
      // Vote extensions off (0 = never enabled; types/params.go ABCIParams).
      abci: { vote_extensions_enable_height: '0' },
    },
    validators: g.validators.map((v) => ({
      address: v.key.address,
      pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.from(v.key.pubKey).toString('base64') },
      power: String(v.power),
      name: v.name,
    })),
    app_hash: '',
    app_state: g.appState,
  };
}
