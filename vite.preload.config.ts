// Vite config of the preload script. Used by Forge (build[1], target 'preload') and on its
// own: `npx vite build -c vite.preload.config.ts`.
// A sandboxed preload is one CommonJS file that may only require('electron'), so everything
// else (shared/api) is bundled in. Named .cjs because package.json is "type": "module".
import { defineConfig, type ConfigEnv, type UserConfig } from 'vite';

type ForgeEnv = ConfigEnv & { forgeConfigSelf?: { entry?: string } };

export default defineConfig((env): UserConfig => {
  const entry = (env as ForgeEnv).forgeConfigSelf?.entry ?? 'electron/preload/preload.ts';
  return {
    build: {
      outDir: '.vite/build',
      emptyOutDir: false,
      target: 'chrome130',
      minify: false,
      sourcemap: env.command === 'serve' ? 'inline' : false,
      rollupOptions: {
        input: entry,
        external: ['electron', 'electron/renderer'],
        output: {
          format: 'cjs',
          inlineDynamicImports: true,
          entryFileNames: 'preload.cjs',
          chunkFileNames: '[name].cjs',
          assetFileNames: '[name].[ext]',
        },
      },
    },
    clearScreen: false,
  };
});
