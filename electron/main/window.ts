// The one application window: sandboxed, context-isolated, no Node in the renderer.
import { app, BrowserWindow, nativeTheme } from 'electron';

export interface WindowOptions {
  preloadPath: string;
  /** Dev server URL under `electron-forge start`, else undefined. */
  devServerUrl: string | undefined;
  rendererIndexPath: string;
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Custos',
    show: false,
    // Matches --bg in renderer/src/styles/theme.css, so the first paint does not flash.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181b' : '#fbfbfc',
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (opts.devServerUrl) void win.loadURL(opts.devServerUrl);
  else void win.loadFile(opts.rendererIndexPath);
  return win;
}
