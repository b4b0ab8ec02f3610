// Builds the Electron main-process target exactly as `electron-forge package` does, without
// Electron: Forge's Vite plugin resolves its build configs (ViteConfigGenerator: Forge's
// defaults for a 'main' target merged with vite.main.config.ts, production mode), and Vite builds
// the main one, into `outDir` instead of .vite/build.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface BuildEntry { entry?: string; config?: string; target?: string }
interface ConfigGenerator { getBuildConfigs(): Promise<InlineConfig[]> }

/** Forge's resolved Vite config of the main target (forge.config.ts → VitePlugin build[target 'main']). */
export async function forgeMainConfig(): Promise<InlineConfig> {
  const forge = (await import('../../forge.config')).default;
  const plugin = forge.plugins?.find((p) => (p as { name?: string }).name === 'vite') as { config: { build: BuildEntry[] } } | undefined;
  if (!plugin) throw new Error('forge.config.ts has no Vite plugin');
  const mains = plugin.config.build.filter((b) => (b.target ?? 'main') === 'main');
  if (mains.length !== 1) throw new Error(`expected one main build target in forge.config.ts, found ${mains.length}`);
  // Config paths made absolute, so the result does not depend on the working directory.
  const config = { ...plugin.config, build: mains.map((b) => ({ ...b, config: b.config && resolve(ROOT, b.config) })) };
  const mod = (await import('@electron-forge/plugin-vite/dist/ViteConfig.js')) as { default: unknown };
  const Generator = ((mod.default as { default?: unknown }).default ?? mod.default) as new (c: unknown, dir: string, isProd: boolean) => ConfigGenerator;
  const [main] = await new Generator(config, ROOT, true).getBuildConfigs();
  return main!;
}

/** Builds the main target into `outDir` (emptied first). */
export async function buildMain(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const config = await forgeMainConfig();
  await build({ configFile: false, logLevel: 'warn', ...config, build: { ...config.build, outDir, emptyOutDir: true, watch: null } });
}
