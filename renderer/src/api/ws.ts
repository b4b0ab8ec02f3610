// Transport over the headless host's WebSocket (ws://127.0.0.1:PORT/api?token=...).
// The token is the one in this page's URL; the host checks it and this page's Origin.
import {
  ApiError,
  checkEvent,
  checkResult,
  hostMessage,
  isEventName,
  parseMessage,
  unwrap,
  type ClientMessage,
  type EventName,
  type MethodName,
} from '../../../shared/api';
import type { ConnectionState, Transport } from './transport';

// Generous: a genesis probe waits on slow endpoints and an import checks a whole bundle before it answers.
const CALL_TIMEOUT_MS = 120_000;

interface Pending {
  method: MethodName;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export function wsTransport(url: string): Transport {
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of stateListeners) l(s);
  };

  const failAll = (message: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new ApiError('unavailable', message, p.method));
      pending.delete(id);
    }
    queue.length = 0;
  };

  const onMessage = (text: string) => {
    const msg = parseMessage(hostMessage, text);
    if (!msg.ok) return console.warn(`[custos] ignored a malformed host message: ${msg.error}`);
    const m = msg.value;
    if (m.type === 'result') {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      const checked = checkResult(p.method, m.result);
      if (!checked.ok) return p.reject(new ApiError('internal', `invalid answer from the host: ${checked.error}`, p.method));
      try {
        p.resolve(unwrap(p.method, checked.value));
      } catch (err) {
        p.reject(err as Error);
      }
      return;
    }
    if (!isEventName(m.event)) return;
    const checked = checkEvent(m.event, m.payload);
    if (!checked.ok) return console.warn(`[custos] ignored an invalid event: ${checked.error}`);
    for (const l of eventListeners.get(m.event) ?? []) l(checked.value);
  };

  const connect = () => {
    setState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      setState('connected');
      for (const text of queue.splice(0)) ws.send(text);
    });
    ws.addEventListener('message', (e: MessageEvent) => {
      if (typeof e.data === 'string') onMessage(e.data);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      failAll('the connection to the headless host closed');
      setState('disconnected');
    });
  };

  connect();

  return {
    label: `WebSocket ${new URL(url).host}`,
    call(method, payload) {
      return new Promise((resolve, reject) => {
        if (state === 'disconnected') return reject(new ApiError('unavailable', 'not connected to the headless host', method));
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new ApiError('unavailable', `no answer to ${method} within ${CALL_TIMEOUT_MS / 1000} s`, method));
        }, CALL_TIMEOUT_MS);
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
        const text = JSON.stringify({ type: 'call', id, method, payload } satisfies ClientMessage);
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
        else queue.push(text);
      });
    },
    on(event, listener) {
      const set = eventListeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      eventListeners.set(event, set);
      return () => void set.delete(listener as (payload: unknown) => void);
    },
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    reconnect() {
      if (state === 'disconnected') connect();
    },
  };
}
