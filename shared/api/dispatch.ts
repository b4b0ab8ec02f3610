// The one place where a call from the renderer meets a handler. Both hosts route through
// dispatch(), so both apply the same checks in the same order:
//   1. the method name is in the contract            (else 'unknown-method')
//   2. the request payload conforms to its schema    (else 'bad-request')
//   3. the handler runs                              (a throw becomes 'internal' or its ApiError code)
//   4. the response conforms to its schema           (else 'internal': a bug on our side, never sent)
import { checkRequest, checkResponse, isMethodName, type MethodName, type Request, type Response } from './contract';
import { ApiError, fail, type ApiResult } from './result';

export type Handler<M extends MethodName> = (request: Request<M>) => Promise<Response<M>> | Response<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

export interface DispatchOptions {
  /** Called with internal failures (handler throws, invalid responses); never sent to the renderer verbatim. */
  onInternalError?: (method: string, error: unknown) => void;
}

export async function dispatch(
  handlers: Handlers,
  method: unknown,
  payload: unknown,
  opts: DispatchOptions = {},
): Promise<ApiResult<MethodName>> {
  if (!isMethodName(method)) {
    const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 64)) : typeof method;
    return fail('unknown-method', `unknown method ${shown}`);
  }
  return run(handlers, method, payload, opts);
}

async function run<M extends MethodName>(handlers: Handlers, method: M, payload: unknown, opts: DispatchOptions): Promise<ApiResult<M>> {
  const req = checkRequest(method, payload);
  if (!req.ok) return fail('bad-request', req.error);
  let response: unknown;
  try {
    const handler = handlers[method] as Handler<M>;
    response = await handler(req.value);
  } catch (err) {
    if (err instanceof ApiError && err.code !== 'internal') return fail(err.code, err.message);
    opts.onInternalError?.(method, err);
    return fail('internal', `${method} failed on the host; see the host log`);
  }
  const res = checkResponse(method, response);
  if (!res.ok) {
    opts.onInternalError?.(method, new Error(res.error));
    return fail('internal', `${method} produced an invalid response; see the host log`);
  }
  return { ok: true, result: res.value };
}
