// The console service in the desktop host: this user's replicas under Electron's userData
// folder (or $CUSTOS_DATA_DIR), native save/open dialogs for exports and imports, and every
// status change pushed to the window over the event channel.
import { app, dialog, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleService, embeddedDemo, type PickKind } from '../services/console';

const FILTERS: Record<PickKind, Electron.FileFilter[]> = {
  'save-pdf': [{ name: 'PDF report', extensions: ['pdf'] }],
  'save-json': [{ name: 'JSON report', extensions: ['json'] }],
  'save-bundle': [{ name: 'Custos replica bundle', extensions: ['bundle'] }],
  'open-bundle': [{ name: 'Custos replica bundle', extensions: ['bundle'] }, { name: 'All files', extensions: ['*'] }],
};

/** The demo/ folder: next to the app in development, in the resources of a packaged app. */
function demoDir(): string {
  const packaged = join(process.resourcesPath, 'demo');
  return app.isPackaged && existsSync(packaged) ? packaged : join(app.getAppPath(), 'demo');
}

export async function startConsole(window: () => BrowserWindow | null): Promise<ConsoleService> {
  const dataDir = process.env['CUSTOS_DATA_DIR'] || join(app.getPath('userData'), 'data');
  // CUSTOS_NO_DIALOGS=1 (the e2e suite): paths are typed, as in the headless host.
  const dialogs = process.env['CUSTOS_NO_DIALOGS'] !== '1';
  return ConsoleService.start({
    dataDir,
    demo: embeddedDemo(demoDir()),
    log: (line) => console.log(`[custos] ${line}`),
    ...(dialogs
      ? {
          pickPath: async (kind: PickKind, suggested: string) => {
            const win = window();
            const opts = { defaultPath: join(app.getPath('documents'), suggested), filters: FILTERS[kind] };
            if (kind === 'open-bundle') {
              const r = win ? await dialog.showOpenDialog(win, { ...opts, properties: ['openFile'] }) : await dialog.showOpenDialog({ ...opts, properties: ['openFile'] });
              return r.canceled ? null : (r.filePaths[0] ?? null);
            }
            const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
            return r.canceled || !r.filePath ? null : r.filePath;
          },
        }
      : {}),
  });
}
