// Sandboxed preload: exposes exactly the API contract as window.custos, nothing else.
// No ipcRenderer, no Electron event objects and no Node APIs cross the context bridge.
// Payloads are checked here (cheap, early) and again in main (authoritative).
import { contextBridge, ipcRenderer } from 'electron';
import {
  checkEvent,
  checkRequest,
  EVENT_CHANNEL,
  fail,
  isEventName,
  isMethodName,
  methodChannel,
  schema,
  type CustosBridge,
  type EventName,
} from '../../shared/api';

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

const eventEnvelope = schema.object({ event: schema.string({ max: 64 }), payload: schema.unknown() });

ipcRenderer.on(EVENT_CHANNEL, (_event, message: unknown) => {
  const env = schema.validate(eventEnvelope, message, 'event');
  if (!env.ok || !isEventName(env.value.event)) return;
  const checked = checkEvent(env.value.event, env.value.payload);
  if (!checked.ok) return;
  for (const listener of listeners.get(env.value.event) ?? []) {
    try {
      listener(checked.value);
    } catch (err) {
      console.error('[custos] event listener failed', err);
    }
  }
});

const bridge: CustosBridge = {
  async call(method, payload) {
    if (!isMethodName(method)) return fail('unknown-method', 'unknown method');
    const req = checkRequest(method, payload);
    if (!req.ok) return fail('bad-request', req.error);
    // The result envelope is validated again by the renderer (checkResult).
    return ipcRenderer.invoke(methodChannel(method), req.value);
  },
  on(event, listener) {
    if (!isEventName(event) || typeof listener !== 'function') throw new TypeError('custos.on: unknown event or listener');
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    listeners.set(event, set);
    return () => {
      set.delete(listener as Listener);
    };
  },
};

contextBridge.exposeInMainWorld('custos', Object.freeze(bridge));
