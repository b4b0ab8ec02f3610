// Electron Forge: Vite builds for main, preload and renderer; zip and deb makers; hardened fuses.
import type { ForgeConfig } from '@electron-forge/shared-types';
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerZIP } from '@electron-forge/maker-zip';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Custos',
    executableName: 'custos',
    // Required by OnlyLoadAppFromAsar and EnableEmbeddedAsarIntegrityValidation below.
    asar: true,
    // The embedded demo replica, read from process.resourcesPath/demo (electron/main/console-host.ts).
    extraResource: ['demo'],
  },
  rebuildConfig: {},
  makers: [
    new MakerZIP({}, ['linux', 'darwin', 'win32']),
    new MakerDeb({
      options: {
        name: 'custos',
        productName: 'Custos',
        genericName: 'Consent ledger auditor',
        categories: ['Office', 'Utility'],
        section: 'utils',
      },
    }),
  ],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main/main.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
      ],
      // The name gives MAIN_WINDOW_VITE_DEV_SERVER_URL / MAIN_WINDOW_VITE_NAME (electron/env.d.ts).
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
    // Fuses are flipped in the packaged binary, before signing.
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    }),
  ],
};

export default config;
