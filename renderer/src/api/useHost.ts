// Host facts and liveness for the header and the status line.
import { useEffect, useState } from 'react';
import type { EventPayload, Response } from '../../../shared/api';
import type { ConnectionState, Transport } from './transport';

export interface HostView {
  state: ConnectionState;
  info: Response<'app.info'> | null;
  /** Round trip of the last app.ping, ms. */
  latencyMs: number | null;
  notice: EventPayload<'host.notice'> | null;
  error: string | null;
}

const PING_EVERY_MS = 15_000;

export function useHost(transport: Transport | null): HostView {
  const [state, setState] = useState<ConnectionState>(transport ? transport.state() : 'disconnected');
  const [info, setInfo] = useState<Response<'app.info'> | null>(null);
  const [latencyMs, setLatency] = useState<number | null>(null);
  const [notice, setNotice] = useState<EventPayload<'host.notice'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!transport) return;
    const offState = transport.onState(setState);
    setState(transport.state()); // the socket may have opened before this effect subscribed
    const offNotice = transport.on('host.notice', setNotice);
    return () => {
      offState();
      offNotice();
    };
  }, [transport]);

  useEffect(() => {
    if (!transport || state !== 'connected') return;
    let live = true;
    const ping = async () => {
      const t0 = performance.now();
      try {
        await transport.call('app.ping', { echo: 'custos' });
        if (live) setLatency(Math.max(0, Math.round(performance.now() - t0)));
      } catch (err) {
        if (live) setError((err as Error).message);
      }
    };
    transport
      .call('app.info', {})
      .then((i) => {
        if (!live) return;
        setInfo(i);
        setError(null);
      })
      .catch((err: Error) => live && setError(err.message));
    void ping();
    const timer = setInterval(() => void ping(), PING_EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [transport, state]);

  return { state, info, latencyMs, notice, error };
}
