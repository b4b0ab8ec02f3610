// Electron main process entry. Order matters: sandbox and navigation policy are set before
// the app is ready; session policy, IPC and the window after.
import { app, BrowserWindow, Menu } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHandlers } from '../api/handlers';
import type { ConsoleService } from '../services/console';
import { startConsole } from './console-host';
import { trustedOrigins } from './guard';
import { registerIpc, sendEvent } from './ipc';
import { buildMenu } from './menu';
import { enforceSandbox, hardenSession, limitNavigation } from './security';
import { createMainWindow } from './window';

// Built layout (see vite.main.config.ts): .vite/build/main.js, .vite/build/preload.cjs,
// .vite/renderer/<MAIN_WINDOW_VITE_NAME>/index.html.
const buildDir = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(buildDir, 'preload.cjs');
const rendererIndexPath = join(buildDir, '..', 'renderer', MAIN_WINDOW_VITE_NAME, 'index.html');
const devServerUrl = MAIN_WINDOW_VITE_DEV_SERVER_URL;
const trusted = trustedOrigins(devServerUrl, pathToFileURL(rendererIndexPath).href);

enforceSandbox();
limitNavigation(trusted);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  const openWindow = () => {
    mainWindow = createMainWindow({ preloadPath, devServerUrl, rendererIndexPath });
    mainWindow.on('closed', () => (mainWindow = null));
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  let consoleService: ConsoleService | null = null;
  // Menu actions run through the console service; their outcome shows in the window as its notice.
  const fromMenu = (what: string, run: (c: ConsoleService) => Promise<unknown>) => () => {
    if (!consoleService) return;
    const c = consoleService;
    run(c).catch((err: unknown) => {
      console.error(`[custos] ${what}:`, err);
      c.notify('error', `${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  };

  void app.whenReady().then(async () => {
    hardenSession(trusted);
    consoleService = await startConsole(() => mainWindow);
    consoleService.onStatus((status) => {
      if (mainWindow) sendEvent(mainWindow.webContents, 'console.status', status);
    });
    Menu.setApplicationMenu(
      buildMenu(!app.isPackaged, {
        importBundle: fromMenu('Import', (c) => c.importReplica(null, null)),
        exportBundle: fromMenu('Export', (c) => c.exportReplica(null)),
        exportReport: (format) => fromMenu('Report export', (c) => c.exportReport(format, null))(),
      }),
    );
    registerIpc(
      trusted,
      createHandlers({ host: 'electron', name: app.getName(), version: app.getVersion(), platform: process.platform, now: Date.now, console: consoleService }),
    );
    openWindow();
  });
  app.on('will-quit', () => void consoleService?.close());
}
