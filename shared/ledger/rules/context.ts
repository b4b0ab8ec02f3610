// What a rule sees while it applies one transaction (PROTOCOL.md §5.0).
import { ed25519 } from '@noble/curves/ed25519.js';
import { Code, fail } from '../codes';
import type { JsonIn } from '../encoding/canonical';
import type { Policy } from '../policy';
import type { StateView } from '../state';
import type { AbciEvent } from '../abci-event';
import type { Role } from '../vocab';
import { fromHex, HEX32_LOWER } from '../encoding/hex';
import { keyValid } from './key-encoding';

export interface TxContext {
  st: StateView;
  chainId: string;
  /** The block being built (checkTx: the next height). */
  height: number;
  /** Block time in Unix seconds (checkTx: the last committed block's time). */
  time: number;
  /** Upper-case hex SHA-256 of the transaction bytes: the id of whatever the tx creates. */
  txId: string;
  signer: string;
  policy: Policy;
  events: AbciEvent[];
  /** The JSON placed in TxResult.data. */
  data?: { [key: string]: JsonIn };
  /** isValidKey, or a verdict the host reached for the same rule (MachineOptions.keyCheck). */
  validKey: (pk: string) => boolean;
}

export function hasAnyRole(roles: readonly Role[], allowed: readonly Role[]): boolean {
  return roles.some((r) => allowed.includes(r));
}

/**
 * §2.7: keys bound on-chain must be canonical Ed25519 point encodings of full order. A key in
 * lower-case hex (every key a schema admits) is checked on its bytes (key-encoding.ts, exactly
 * this rule, several times faster); anything else by decoding the point.
 */
export function isValidKey(pk: string): boolean {
  if (HEX32_LOWER.test(pk)) return keyValid(fromHex(pk));
  try {
    return !ed25519.Point.fromHex(pk, false).isSmallOrder();
  } catch {
    return false;
  }
}

export function requireValidKey(validKey: (pk: string) => boolean, pk: string, field: string): void {
  if (!validKey(pk)) fail(Code.MALFORMED, `${field}: not a valid Ed25519 public key`);
}

/** §4: free text longer than the policy's max_text_len is refused. */
export function requireTextWithinPolicy(ctx: TxContext, value: string | undefined, field: string, utf8Len: (s: string) => number): void {
  if (value !== undefined && utf8Len(value) > ctx.policy.max_text_len) {
    fail(Code.POLICY_LIMIT, `${field}: longer than the policy's max_text_len (${ctx.policy.max_text_len} bytes)`);
  }
}
