// Messages on the headless host's WebSocket (one JSON object per text frame).
//   renderer → host: { type: 'call', id, method, payload }
//   host → renderer: { type: 'result', id, result }   (result: the ApiResult envelope, see result.ts)
//                    { type: 'event', event, payload }
// Envelopes are checked here; `payload` and `result` are checked against the contract by
// dispatch() on the host and by checkResult()/checkEvent() in the renderer.
import * as s from './schema';

/** Upper bound on one WebSocket message, both directions. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

const callId = s.integer({ min: 0, max: 2 ** 31 - 1 });

export const clientMessage = s.tagged('type', {
  call: s.object({ type: s.literal('call'), id: callId, method: s.string({ min: 1, max: 64 }), payload: s.unknown() }),
});
export type ClientMessage = s.Infer<typeof clientMessage>;

export const hostMessage = s.tagged('type', {
  result: s.object({ type: s.literal('result'), id: callId, result: s.unknown() }),
  event: s.object({ type: s.literal('event'), event: s.string({ min: 1, max: 64 }), payload: s.unknown() }),
});
export type HostMessage = s.Infer<typeof hostMessage>;

/** Parses one text frame; never throws. */
export function parseMessage<T>(schema: s.Schema<T>, text: string): s.Checked<T> {
  if (text.length > MAX_MESSAGE_BYTES) return { ok: false, error: 'message too large' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'message is not JSON' };
  }
  return s.validate(schema, value, 'message');
}
