// PrepareProposal ordering: each signer's transactions in nonce order.
//
// The ledger refuses a transaction whose nonce is not greater than the signer's last used
// nonce (PROTOCOL.md §2.8, shared/ledger/machine.ts applyTx: REPLAY), and it allows gaps. So if a
// signer's nonce n+1 reaches the proposer's mempool before nonce n (two RPC nodes, gossip
// races, a resubmission), proposing them in mempool order would turn n into a replay. The
// proposer therefore sorts each signer's transactions by nonce, in place: the set of slots a
// signer occupies is kept, only their contents are permuted, so the interleaving between
// signers (the mempool's FIFO order) and the byte-size prefix that fits max_tx_bytes stay as
// they were. Equal nonces keep their mempool order (a stable sort), transactions that do not
// decode stay where they are, and the result is a pure function of the proposal's txs, so
// every honest proposer orders the same input the same way.
//
// ProcessProposal does not enforce this order: a block from a proposer that did not sort is
// still valid; its out-of-order transactions are simply refused with REPLAY in FinalizeBlock.
import { decodeTx } from '../../shared/ledger/client/index';

export interface TxOrderKey {
  signer: string;
  nonce: number;
}

/** Signer and nonce of a transaction, or undefined when it does not decode. */
export type TxOrderKeyFn = (tx: Uint8Array) => TxOrderKey | undefined;

/** The consent ledger's envelope (PROTOCOL.md §2): signer public key and nonce. */
export const ledgerTxOrderKey: TxOrderKeyFn = (tx) => {
  try {
    const d = decodeTx(tx);
    return { signer: d.signer, nonce: d.nonce };
  } catch {
    return undefined;
  }
};

/** Sorts each signer's transactions by nonce within the slots that signer already holds. */
export function orderByNonce(txs: readonly Uint8Array[], keyOf: TxOrderKeyFn): { txs: Uint8Array[]; moved: number } {
  const keys = txs.map((tx) => keyOf(tx));
  const slots = new Map<string, number[]>();
  keys.forEach((k, i) => {
    if (!k) return;
    const s = slots.get(k.signer);
    if (s) s.push(i);
    else slots.set(k.signer, [i]);
  });
  const out = txs.slice();
  let moved = 0;
  for (const idx of slots.values()) {
    if (idx.length < 2) continue;
    // idx is ascending; sort a copy by (nonce, original position): stable.
    const byNonce = idx.slice().sort((a, b) => keys[a]!.nonce - keys[b]!.nonce || a - b);
    idx.forEach((slot, j) => {
      const from = byNonce[j]!;
      if (from !== slot) moved++;
      out[slot] = txs[from]!;
    });
  }
  return { txs: out, moved };
}
