// Constants injected at build time by @electron-forge/plugin-vite (and by vite.main.config.ts
// when the main process is built on its own). The renderer entry in forge.config.ts is named
// "main_window", hence the prefix.
declare global {
  /** http://localhost:PORT of the renderer's Vite dev server under `electron-forge start`; undefined in a packaged build. */
  const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
  /** Folder name of the built renderer under .vite/renderer/. */
  const MAIN_WINDOW_VITE_NAME: string;
  /** CSP hashes of the Vite dev server's inline scripts (react-refresh preamble); [] in a packaged build. */
  const CUSTOS_DEV_SCRIPT_HASHES: readonly string[];
}

export {};
