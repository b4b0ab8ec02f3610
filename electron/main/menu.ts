// A small native menu: File (import and export of replicas and reports, through the native
// dialogs), the usual edit/view/window roles, developer tools only in development.
import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface FileActions {
  importBundle(): void;
  exportBundle(): void;
  exportReport(format: 'pdf' | 'json'): void;
}

export function buildMenu(isDev: boolean, file: FileActions): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Import Replica Bundle…', accelerator: 'CmdOrCtrl+O', click: () => file.importBundle() },
        { label: 'Export Replica Bundle…', accelerator: 'CmdOrCtrl+Shift+E', click: () => file.exportBundle() },
        { type: 'separator' },
        { label: 'Export Verification Report as PDF…', accelerator: 'CmdOrCtrl+P', click: () => file.exportReport('pdf') },
        { label: 'Export Verification Report as JSON…', click: () => file.exportReport('json') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(isDev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
