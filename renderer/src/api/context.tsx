// The transport and the console's status for every screen: one subscription to the
// `console.status` event, refreshed with console.status when the connection (re)opens.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ConsoleStatus } from '../../../shared/api';
import type { ConnectionState, Transport } from './transport';

export interface ConsoleContext {
  transport: Transport | null;
  status: ConsoleStatus | null;
  error: string | null;
}

const Ctx = createContext<ConsoleContext>({ transport: null, status: null, error: null });

export function ConsoleProvider({ transport, state, children }: { transport: Transport | null; state: ConnectionState; children: ReactNode }) {
  const [status, setStatus] = useState<ConsoleStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!transport) return;
    return transport.on('console.status', (s) => {
      setStatus(s);
      setError(null);
    });
  }, [transport]);

  useEffect(() => {
    if (!transport || state !== 'connected') return;
    let live = true;
    transport
      .call('console.status', {})
      .then((s) => live && setStatus(s))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [transport, state]);

  return <Ctx.Provider value={{ transport, status, error }}>{children}</Ctx.Provider>;
}

export function useConsole(): ConsoleContext {
  return useContext(Ctx);
}
