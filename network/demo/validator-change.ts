// The demo's validator-set story: a full node joins, the board promotes it to validator by a
// governance proposal (validator_update), and later one genesis validator is down for a few
// blocks. Both show in the verification screen's participation heatmap.
import type { Devnet } from '../devnet';
import { LedgerClient, Population } from '../workload';

const OUTAGE_BLOCKS = 5;

export async function promoteAndOutage(net: Devnet, say: (line: string) => void): Promise<void> {
  const extra = await net.addFullNode();
  const pubHex = Buffer.from(extra.validatorPubKey, 'base64').toString('hex');
  const client = await LedgerClient.connect({ rpc: net.nodes.slice(0, 4).map((n) => n.rpc), log: say });
  try {
    const genesis = await client.nodes[0]!.genesis<{ app_state: unknown }>();
    const pop = Population.fromGenesis(genesis.genesis.app_state, net.seed);
    const [proposer] = pop.board;
    if (!proposer) throw new Error('the demo genesis has no board');
    const proposed = await client.submitOne({
      signer: proposer,
      kind: 'gov.propose',
      body: {
        title: `Admit ${extra.name} as a validator`,
        summary: 'A fifth consortium node joins the validator set with voting power 10.',
        content: { type: 'validator_update', updates: [{ pub_key: pubHex, power: 10 }] },
      },
    });
    const data = proposed.data as { proposal_id?: number; voting_end_height?: number } | undefined;
    if (proposed.status !== 'ok' || data?.proposal_id === undefined || data.voting_end_height === undefined) {
      throw new Error(`the validator proposal was not accepted: ${proposed.status} ${proposed.log ?? ''}`);
    }
    say(`proposal ${data.proposal_id}: admit ${extra.name} (voting ends at ${data.voting_end_height})`);
    const votes = await client.submit(pop.board.map((b) => ({ signer: b, kind: 'gov.vote' as const, body: { proposal_id: data.proposal_id!, option: 'yes' as const } })));
    say(`votes: ${votes.map((v) => v.status).join(', ')}`);
    // Executed in FinalizeBlock at the end height; CometBFT applies the update at end + 2.
    await net.waitForHeight(BigInt(data.voting_end_height + 4), { timeoutMs: 120_000 });
    say(`${extra.name} is a validator from height ${data.voting_end_height + 2}`);
  } finally {
    await client.close();
  }
  const down = net.nodes[3]!;
  const before = Number((await net.rpc(0).status()).sync_info.latest_block_height);
  say(`stopping ${down.name} for about ${OUTAGE_BLOCKS} blocks (from height ${before})`);
  await net.stopNode(3);
  await net.waitForHeight(BigInt(before + OUTAGE_BLOCKS), { nodes: [0, 1, 2], timeoutMs: 60_000 });
  await net.startNode(3);
  const back = Number((await net.rpc(0).status()).sync_info.latest_block_height);
  await net.waitForHeight(BigInt(back + 3), { timeoutMs: 60_000 });
  say(`${down.name} back from height about ${back}`);
}
