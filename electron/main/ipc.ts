// One ipcMain.handle channel per contract method. Every call is checked in guardedDispatch:
// the sending frame must be our renderer's top frame (dev server origin or the packaged
// index.html), then method and payload are validated against shared/api.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { checkEvent, EVENT_CHANNEL, methodChannel, methodNames, type EventName, type EventPayload, type Handlers } from '../../shared/api';
import { guardedDispatch, type SenderFrame, type TrustedOrigins } from './guard';

function senderOf(event: IpcMainInvokeEvent): SenderFrame | null {
  const frame = event.senderFrame; // null once the frame navigated away or was destroyed
  if (!frame) return null;
  return { url: frame.url, isMainFrame: frame.parent === null };
}

export function registerIpc(trusted: TrustedOrigins, handlers: Handlers): void {
  for (const method of methodNames) {
    ipcMain.handle(methodChannel(method), (event, payload: unknown) =>
      guardedDispatch(senderOf(event), method, payload, trusted, handlers, {
        onInternalError: (m, err) => console.error(`[custos] ${m}:`, err),
      }),
    );
  }
}

/** Pushes one contract event to a renderer; a payload that fails its schema is a bug and is not sent. */
export function sendEvent<E extends EventName>(target: WebContents, event: E, payload: EventPayload<E>): void {
  const checked = checkEvent(event, payload);
  if (!checked.ok) {
    console.error(`[custos] not sending invalid event: ${checked.error}`);
    return;
  }
  if (!target.isDestroyed()) target.send(EVENT_CHANNEL, { event, payload: checked.value });
}
