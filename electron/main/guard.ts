// Pure checks behind the Electron main process's IPC and navigation policy (no `electron`
// import, so they are unit-tested without the Electron binary).
// After Electron's security checklist: "Validate the sender of all IPC messages" (#17) and
// "Limit navigation" / "Limit creation of new windows" (#13, #14).
import { dispatch, fail, type ApiResult, type DispatchOptions, type Handlers, type MethodName } from '../../shared/api';

export interface TrustedOrigins {
  /** Origin of the Vite dev server under `electron-forge start` (http://localhost:PORT), if any. */
  devServerOrigin?: string;
  /** file:// URL of the packaged renderer's index.html. Only this one file, not any file://. */
  rendererIndexUrl: string;
}

export function trustedOrigins(devServerUrl: string | undefined, rendererIndexUrl: string): TrustedOrigins {
  const out: TrustedOrigins = { rendererIndexUrl: new URL(rendererIndexUrl).href };
  if (devServerUrl) out.devServerOrigin = new URL(devServerUrl).origin;
  return out;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Is `url` (a frame's URL) the app's own renderer? */
export function checkSender(url: string | null | undefined, trusted: TrustedOrigins): boolean {
  if (!url) return false;
  const u = parse(url);
  if (!u) return false;
  if (trusted.devServerOrigin && (u.protocol === 'http:' || u.protocol === 'https:')) {
    return u.origin === trusted.devServerOrigin;
  }
  if (u.protocol === 'file:') {
    u.hash = '';
    u.search = '';
    return u.href === trusted.rendererIndexUrl;
  }
  return false;
}

export interface SenderFrame {
  url: string;
  /** Only the top frame of our window may call; the app has no iframes. */
  isMainFrame: boolean;
}

/** The whole IPC path as a pure function: sender check, then dispatch (method + payload checks). */
export async function guardedDispatch(
  sender: SenderFrame | null | undefined,
  method: MethodName,
  payload: unknown,
  trusted: TrustedOrigins,
  handlers: Handlers,
  opts: DispatchOptions = {},
): Promise<ApiResult<MethodName>> {
  if (!sender || !sender.isMainFrame || !checkSender(sender.url, trusted)) {
    return fail('forbidden', 'call refused: the sender is not the Custos renderer');
  }
  return dispatch(handlers, method, payload, opts);
}

export type NavigationDecision = 'allow' | 'open-external' | 'deny';

/**
 * will-navigate and window.open: the app's own page may reload itself; http(s) links go to
 * the system browser (shell.openExternal); everything else (file:, data:, javascript:,
 * custom schemes) is denied.
 */
export function decideNavigation(url: string, trusted: TrustedOrigins): NavigationDecision {
  if (checkSender(url, trusted)) return 'allow';
  const u = parse(url);
  if (u && (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password) return 'open-external';
  return 'deny';
}
