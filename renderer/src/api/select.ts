// Picks the transport at runtime: the Electron preload bridge if present, else the headless
// host's WebSocket with the token from this page's URL (Lichtblick style: one app, two hosts).
import { ipcTransport } from './ipc';
import type { Transport } from './transport';
import { wsTransport } from './ws';

export type TransportChoice = { ok: true; transport: Transport } | { ok: false; reason: 'no-token' };

export function selectTransport(win: Window = window): TransportChoice {
  if (win.custos) return { ok: true, transport: ipcTransport(win.custos) };
  const { protocol, host, search } = win.location;
  const token = new URLSearchParams(search).get('token');
  if (protocol !== 'http:' || !token) {
    return { ok: false, reason: 'no-token' };
  }
  return { ok: true, transport: wsTransport(`ws://${host}/api?token=${encodeURIComponent(token)}`) };
}
