// Forge's renderer entry: vite.app.config.ts, written to .vite/renderer/<name>/ where
// the main process loads it from (main.ts). Also buildable on its own:
// `npx vite build -c vite.renderer.config.ts`.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig, type ConfigEnv } from 'vite';
import base from './vite.app.config';

type ForgeEnv = ConfigEnv & { forgeConfigSelf?: { name?: string } };

const projectRoot = dirname(fileURLToPath(import.meta.url));

export default defineConfig((env) => {
  const name = (env as ForgeEnv).forgeConfigSelf?.name ?? 'main_window';
  return mergeConfig(base, {
    build: { outDir: resolve(projectRoot, '.vite', 'renderer', name), emptyOutDir: true },
  });
});
