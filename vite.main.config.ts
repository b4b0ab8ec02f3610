// Vite config of the Electron main process. Used by Forge (forge.config.ts → VitePlugin
// build[0]) and on its own: `npx vite build -c vite.main.config.ts`.
// Output (.vite/build, ES modules: package.json is "type": "module", and its "main" points here):
//   main.js            the Electron main process (imports 'electron')
//   services.js        the Node services (electron/services/entry.ts), loadable without Electron
//   prepare-worker.js  the verifier's worker threads, started directly by the bundled
//   chain-worker.js    electron/services/verify/workers.ts (no tsx at run time)
//   sql-wasm.wasm      sql.js's WebAssembly, found beside the bundle by index/sqljs.ts
//   <name>-<hash>.js   code shared between them. Everything stays in one flat folder: workers.ts
//                      and sqljs.ts look for their files next to the chunk they end up in.
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { defineConfig, type ConfigEnv, type Plugin, type UserConfig } from 'vite';
import { devScriptHashes } from './vite.app.config';

type ForgeEnv = ConfigEnv & { forgeConfigSelf?: { entry?: string } };

export const nodeExternals = ['electron', /^electron\/.+/, ...builtinModules, /^node:/];

/** The entries besides main; their names are the output file names. */
export const SERVICE_ENTRIES = {
  services: 'electron/services/entry.ts',
  'prepare-worker': 'electron/services/verify/prepare-worker.ts',
  'chain-worker': 'electron/services/verify/chain-worker.ts',
} as const;

/**
 * sql.js in the bundle. Copies sql-wasm.wasm (the binary of its Node build) into the output
 * folder, and adapts its Node build (CommonJS) to an ES module chunk:
 *  - __dirname, which ES modules lack, only gives the folder of the .wasm; index/sqljs.ts hands
 *    over the bytes (wasmBinary) instead, so any folder will do;
 *  - it hides `module` inside its loader (`module = undefined`) so that Emscripten's
 *    `typeof module !== "undefined" && (module.exports = ...)` is skipped, but the CommonJS
 *    plugin replaces `typeof module` with "object"; a local `var module` keeps the guard.
 * test/packaging.test.ts loads the result in plain Node.
 */
function sqlJs(): Plugin {
  return {
    name: 'custos:sql-js',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]sql\.js[\\/]dist[\\/]sql-wasm\.js$/.test(id.split('?')[0]!)) return null;
      const out = code.replace(/\b__dirname\b/g, '"."').replace(/^(\s*)module = undefined;/m, '$1var module = undefined;');
      return { code: out, map: null };
    },
    generateBundle() {
      const path = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
      this.emitFile({ type: 'asset', fileName: 'sql-wasm.wasm', source: readFileSync(path) });
    },
  };
}

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
      lib: { entry: { main: entry, ...SERVICE_ENTRIES }, formats: ['es'], fileName: (_format, name) => `${name}.js` },
      rollupOptions: {
        external: nodeExternals,
        output: { chunkFileNames: '[name]-[hash].js', assetFileNames: '[name][extname]' },
      },
    },
    plugins: [sqlJs()],
    resolve: { conditions: ['node'], mainFields: ['module', 'jsnext:main', 'jsnext'] },
    define: {
      CUSTOS_DEV_SCRIPT_HASHES: JSON.stringify(env.command === 'serve' ? devScriptHashes() : []),
      // Under Forge these two come from the plugin (never override them there).
      ...(forge ? {} : { MAIN_WINDOW_VITE_DEV_SERVER_URL: 'undefined', MAIN_WINDOW_VITE_NAME: JSON.stringify('main_window') }),
    },
    clearScreen: false,
  };
});
