// Process-wide hardening, applied before any window exists (Electron security checklist).
import { app, session, shell, type Session, type WebContents } from 'electron';
import { buildCsp } from '../../shared/api';
import { decideNavigation, type TrustedOrigins } from './guard';

/** Every renderer is sandboxed, whatever a BrowserWindow's options say (checklist #4). */
export function enforceSandbox(): void {
  app.enableSandbox();
}

/**
 * Session policy: deny every permission request and check (camera, notifications, clipboard
 * read, ...), and send our CSP with every response of the Vite dev server. The packaged
 * renderer loads from file://, which has no response headers; there the <meta> CSP in
 * index.html applies (the same policy, see shared/api/csp.ts).
 */
export function hardenSession(trusted: TrustedOrigins, ses: Session = session.defaultSession): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);

  const devOrigin = trusted.devServerOrigin;
  if (devOrigin) {
    const csp = buildCsp({
      dev: { scriptHashes: CUSTOS_DEV_SCRIPT_HASHES },
      connect: [devOrigin.replace(/^http/, 'ws')],
    });
    ses.webRequest.onHeadersReceived({ urls: [`${devOrigin}/*`] }, (details, callback) => {
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [csp],
          'X-Content-Type-Options': ['nosniff'],
          'Referrer-Policy': ['no-referrer'],
        },
      });
    });
  }
}

function openExternal(url: string): void {
  shell.openExternal(url).catch((err: unknown) => console.error('[custos] could not open external link:', err));
}

/** Navigation, new windows and <webview> are refused in every WebContents (checklist #12-#14). */
export function limitNavigation(trusted: TrustedOrigins): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      const decision = decideNavigation(url, trusted);
      if (decision === 'allow') return;
      event.preventDefault();
      if (decision === 'open-external') openExternal(url);
    });
    contents.on('will-redirect', (event, url) => {
      if (decideNavigation(url, trusted) !== 'allow') event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (decideNavigation(url, trusted) === 'open-external') openExternal(url);
      return { action: 'deny' };
    });
  });
}
