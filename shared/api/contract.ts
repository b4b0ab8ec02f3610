// The typed API contract between the React renderer and the Node side.
// Both hosts implement exactly this table: the Electron main process over IPC (one
// ipcMain.handle channel per method) and the headless host over a token-guarded loopback
// WebSocket. Methods and events are added by adding entries here (or to a table in
// methods/); types, validators, IPC channels and the preload bridge follow.
import { consoleMethods } from './methods/console';
import { explorerMethods } from './methods/explorer';
import { method } from './methods/method';
import * as s from './schema';
import type { Infer, Schema } from './schema';
import { consoleStatus } from './views/console';

export type { MethodSpec } from './methods/method';

/** Which kind of host serves the renderer. */
export const hostKind = s.literal('electron', 'headless');
export type HostKind = Infer<typeof hostKind>;

const empty = s.object({});

export const methods = {
  'app.info': method({
    summary: 'Name, version, host kind and platform of the running Node side.',
    request: empty,
    response: s.object({
      name: s.string({ min: 1, max: 100 }),
      version: s.string({ min: 1, max: 50 }),
      host: hostKind,
      platform: s.string({ min: 1, max: 50 }),
    }),
  }),
  'app.ping': method({
    summary: 'Liveness check: echoes a short token back with the host clock (ms since epoch).',
    request: s.object({ echo: s.string({ max: 64 }) }),
    response: s.object({ echo: s.string({ max: 64 }), at: s.integer({ min: 0 }) }),
  }),
  ...consoleMethods,
  ...explorerMethods,
} as const;

export const events = {
  /** A short message from the Node side for the status line (e.g. the host is shutting down). */
  'host.notice': s.object({
    level: s.literal('info', 'warning', 'error'),
    message: s.string({ min: 1, max: 500 }),
  }),
  /** A fresh snapshot of the console (replicas, sync and verification progress) whenever it changes. */
  'console.status': consoleStatus,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Request<M extends MethodName> = Infer<Methods[M]['request']>;
export type Response<M extends MethodName> = Infer<Methods[M]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Infer<Events[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

export function checkRequest<M extends MethodName>(method: M, payload: unknown): s.Checked<Request<M>> {
  return s.validate(methods[method].request as Schema<Request<M>>, payload, `${method} request`);
}

export function checkResponse<M extends MethodName>(method: M, payload: unknown): s.Checked<Response<M>> {
  return s.validate(methods[method].response as Schema<Response<M>>, payload, `${method} response`);
}

export function checkEvent<E extends EventName>(event: E, payload: unknown): s.Checked<EventPayload<E>> {
  return s.validate(events[event] as Schema<EventPayload<E>>, payload, `${event} event`);
}
