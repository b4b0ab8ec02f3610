// Vite config of the Electron main process. Used by Forge (forge.config.ts → VitePlugin
// build[0]) and on its own: `npx vite build -c vite.main.config.ts`.
// Output: .vite/build/main.js as an ES module (package.json is "type": "module", and
// package.json "main" points here).
import { builtinModules } from 'node:module';
import { defineConfig, type ConfigEnv, type UserConfig } from 'vite';
import { devScriptHashes } from './renderer/vite.config';

type ForgeEnv = ConfigEnv & { forgeConfigSelf?: { entry?: string } };

export const nodeExternals = ['electron', /^electron\/.+/, ...builtinModules, /^node:/];

export default defineConfig((env): UserConfig => {
  const forge = (env as ForgeEnv).forgeConfigSelf;
  const entry = forge?.entry ?? 'electron/main/main.ts';
  return {
    build: {
      outDir: '.vite/build',
      emptyOutDir: false,
      target: 'node22',
      minify: false,
      sourcemap: env.command === 'serve',
      lib: { entry, formats: ['es'], fileName: () => 'main.js' },
      rollupOptions: { external: nodeExternals },
    },
    resolve: { conditions: ['node'], mainFields: ['module', 'jsnext:main', 'jsnext'] },
    define: {
      CUSTOS_DEV_SCRIPT_HASHES: JSON.stringify(env.command === 'serve' ? devScriptHashes() : []),
      // Under Forge these two come from the plugin (never override them there).
      ...(forge ? {} : { MAIN_WINDOW_VITE_DEV_SERVER_URL: 'undefined', MAIN_WINDOW_VITE_NAME: JSON.stringify('main_window') }),
    },
    clearScreen: false,
  };
});
