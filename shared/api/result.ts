// Every call answers with a result envelope, the same over IPC and over the WebSocket,
// so the renderer sees one error model whichever host it runs in.
import { checkResponse, type MethodName, type Response } from './contract';
import * as s from './schema';

export const apiErrorCode = s.literal('bad-request', 'unknown-method', 'forbidden', 'unavailable', 'internal');
export type ApiErrorCode = s.Infer<typeof apiErrorCode>;

export const apiErrorBody = s.object({ code: apiErrorCode, message: s.string({ max: 2000 }) });
export type ApiErrorBody = s.Infer<typeof apiErrorBody>;

export type ApiResult<M extends MethodName> = { ok: true; result: Response<M> } | { ok: false; error: ApiErrorBody };

const okEnvelope = s.object({ ok: s.literal(true), result: s.unknown() });
const errEnvelope = s.object({ ok: s.literal(false), error: apiErrorBody });

/** Validates a result envelope received for `method` (renderer side: never trust the transport). */
export function checkResult<M extends MethodName>(method: M, value: unknown): s.Checked<ApiResult<M>> {
  const asErr = s.validate(errEnvelope, value, `${method} result`);
  if (asErr.ok) return { ok: true, value: { ok: false, error: asErr.value.error } };
  const asOk = s.validate(okEnvelope, value, `${method} result`);
  if (!asOk.ok) return asOk;
  const res = checkResponse(method, asOk.value.result);
  return res.ok ? { ok: true, value: { ok: true, result: res.value } } : res;
}

export function fail(code: ApiErrorCode, message: string): { ok: false; error: ApiErrorBody } {
  return { ok: false, error: { code, message: message.slice(0, 2000) } };
}

/** Thrown in the renderer when a call answers with an error envelope. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly method?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function unwrap<M extends MethodName>(method: M, result: ApiResult<M>): Response<M> {
  if (result.ok) return result.result;
  throw new ApiError(result.error.code, result.error.message, method);
}
