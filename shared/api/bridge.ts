// What the Electron preload exposes as `window.custos` (and what the WebSocket transport
// mirrors in the headless host). Exactly the contract: call a method, listen to an event.
import type { EventName, EventPayload, MethodName, Request } from './contract';
import type { ApiResult } from './result';

export interface CustosBridge {
  /** Calls one contract method; resolves to the result envelope (never rejects for API errors). */
  call<M extends MethodName>(method: M, payload: Request<M>): Promise<ApiResult<M>>;
  /** Subscribes to one contract event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** IPC channel of one method: ipcMain.handle(channel) in main, ipcRenderer.invoke(channel) in preload. */
export function methodChannel(method: MethodName): string {
  return `custos:call:${method}`;
}

/** The single channel main uses to push events ({ event, payload }) to the renderer. */
export const EVENT_CHANNEL = 'custos:event';
