// The renderer's side of the API contract. One interface, two thin implementations:
// Electron IPC through the preload bridge (window.custos) and the headless host's WebSocket.
// Every answer and event is validated here against shared/api before the UI sees it.
import type { EventName, EventPayload, MethodName, Request, Response } from '../../../shared/api';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface Transport {
  /** How this renderer reaches the Node side, for the status line. */
  readonly label: string;
  call<M extends MethodName>(method: M, payload: Request<M>): Promise<Response<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Re-open a dropped connection (WebSocket only; IPC never drops). */
  reconnect(): void;
}
