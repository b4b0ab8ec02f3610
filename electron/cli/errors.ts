// How a command ends badly. Exit codes: 0 success; 1 a check failed, a bundle or genesis was
// refused, or the operation failed; 2 bad usage or bad input (flags, paths, not a replica);
// 130 interrupted (Ctrl-C), progress saved.

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** Bad flags, arguments or input: exit 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

/** The command ran and something failed or was refused: exit 1 (or `code`) with the message. */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
  constructor(message: string, readonly code: number = EXIT_FAILED) {
    super(message);
  }
}
