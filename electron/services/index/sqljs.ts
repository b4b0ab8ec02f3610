// Loading sql.js (SQLite compiled to WebAssembly) in Node. The .wasm file is read from
// node_modules through Node's resolver and handed over as bytes, so nothing depends on the
// working directory or on fetch(); this works the same under tsx, vitest and Electron's main
// process. A bundle without node_modules (a packaged app) finds sql-wasm.wasm next to itself;
// CUSTOS_SQL_WASM (a path) overrides both.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;
const WASM_FILE = 'sql-wasm.wasm';

/** Absolute path of sql-wasm.wasm (the Node build's binary). */
export function sqlWasmPath(): string {
  const override = process.env['CUSTOS_SQL_WASM'];
  if (override) return override;
  try {
    return createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
  } catch (e) {
    const beside = fileURLToPath(new URL(WASM_FILE, import.meta.url)); // a variable: Vite must not make it an asset
    if (existsSync(beside)) return beside;
    throw new Error(`sql-wasm.wasm not found in node_modules (${(e as Error).message}) nor at ${beside}; set CUSTOS_SQL_WASM`);
  }
}

/** The sql.js module, initialised once per process. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= (async () => {
    const path = sqlWasmPath();
    const bytes = await readFile(path);
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return initSqlJs({ wasmBinary });
  })();
  loading.catch(() => {
    loading = undefined; // let a later call retry (e.g. after fixing CUSTOS_SQL_WASM)
  });
  return loading;
}
