import type { CustosBridge } from '../../shared/api';

declare global {
  interface Window {
    /** Present only in the Electron desktop host (exposed by electron/preload/preload.ts). */
    readonly custos?: CustosBridge;
  }
}

export {};
