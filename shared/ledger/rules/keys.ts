// Which keys a transaction's rules check with isValidKey (PROTOCOL.md §2.7: keys bound to an
// identity must be canonical points of full order). A host may check these elsewhere (e.g. in
// worker threads) and hand the verdicts back through MachineOptions.keyCheck.
import type { AnyTx, TxKind } from '../tx/types';

/** The kinds whose rules check keys: keysValidatedBy is empty for every other kind. */
export const KEY_BINDING_KINDS: ReadonlySet<TxKind> = new Set<TxKind>(['member.add', 'patient.register', 'proxy.grant', 'gov.propose']);

/**
 * Every key the rules of `tx` may pass to isValidKey (§5.1, §5.4, §5.5, §5.13 org_admit and
 * validator_update), in body order. A rule that refuses earlier checks fewer; none checks more.
 * A passed proposal's keys are checked again when it executes at the end of a block (§9.3).
 */
export function keysValidatedBy(tx: AnyTx): string[] {
  switch (tx.kind) {
    case 'member.add': return [tx.body.pubkey];
    case 'patient.register': return [tx.body.patient];
    case 'proxy.grant': return [tx.body.proxy];
    case 'gov.propose': {
      const c = tx.body.content;
      if (c.type === 'org_admit') return [c.admin];
      if (c.type === 'validator_update') return c.updates.filter((u) => u.power > 0).map((u) => u.pub_key);
      return [];
    }
    default: return [];
  }
}
