// Transport over the Electron preload bridge.
import { ApiError, checkEvent, checkResult, unwrap, type CustosBridge } from '../../../shared/api';
import type { Transport } from './transport';

export function ipcTransport(bridge: CustosBridge): Transport {
  return {
    label: 'Electron IPC',
    async call(method, payload) {
      const raw: unknown = await bridge.call(method, payload);
      const checked = checkResult(method, raw);
      if (!checked.ok) throw new ApiError('internal', `invalid answer from the host: ${checked.error}`, method);
      return unwrap(method, checked.value);
    },
    on(event, listener) {
      return bridge.on(event, (payload) => {
        const checked = checkEvent(event, payload);
        if (checked.ok) listener(checked.value);
      });
    },
    state: () => 'connected',
    onState: () => () => {},
    reconnect: () => {},
  };
}
