// Result codes (PROTOCOL.md §6). Codespace "custos" for every non-zero code.

export const Code = {
  OK: 0,
  MALFORMED: 1,
  WRONG_CHAIN: 2,
  BAD_SIGNATURE: 3,
  UNKNOWN_SIGNER: 4,
  REPLAY: 5,
  UNAUTHORIZED: 6,
  NOT_FOUND: 7,
  ALREADY_EXISTS: 8,
  INVALID_STATE: 9,
  POLICY_LIMIT: 10,
} as const;
export type CodeValue = (typeof Code)[keyof typeof Code];

export const CODESPACE = 'custos';

export const CODE_NAMES: Record<number, string> = {
  0: 'ok',
  1: 'malformed',
  2: 'wrong_chain',
  3: 'bad_signature',
  4: 'unknown_signer',
  5: 'replay',
  6: 'unauthorized',
  7: 'not_found',
  8: 'already_exists',
  9: 'invalid_state',
  10: 'policy_limit',
};

/** A refusal raised by a rule; the machine turns it into a TxResult with this code and log. */
export class TxError extends Error {
  constructor(public readonly code: number, message: string) {
    super(message);
    this.name = 'TxError';
  }
}

export function fail(code: number, message: string): never {
  throw new TxError(code, message);
}
