// Small schemas the console's views share: hashes, heights, endpoints, paths.
import * as s from '../schema';

/** A hash or key in hex (either case), e.g. a block hash, tx id, genesis SHA-256. */
export const hex = (max = 128) => s.string({ max, pattern: /^[0-9A-Fa-f]*$/ });
export const sha256 = s.string({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/ });
export const height = s.integer({ min: 0 });
export const count = s.integer({ min: 0 });
export const rate = s.number({ min: 0 });
/** An ISO-8601 timestamp. */
export const time = s.string({ max: 40 });
/** Free text from the Node side (messages, expected/found values). */
export const text = (max = 4000) => s.string({ max });
/** An RPC endpoint as the user typed it: http(s) URL, no credentials shown back. */
export const endpointUrl = s.string({ min: 8, max: 300, pattern: /^https?:\/\/[^\s]+$/ });
export const replicaId = s.string({ min: 1, max: 64, pattern: /^[a-z0-9][a-z0-9-]*$/ });
export const chainId = s.string({ min: 1, max: 50, pattern: /^[\x21-\x7e]+$/ });
/**
 * A file path typed by the user (headless host) or null to ask the host's native dialog
 * (desktop host). Absolute; checked again on the Node side.
 */
export const userPath = s.nullable(s.string({ min: 2, max: 1024, pattern: /^(\/|[A-Za-z]:\\)[^\0]*$/ }));
export const verification = s.literal('unverified', 'verified', 'failed');
