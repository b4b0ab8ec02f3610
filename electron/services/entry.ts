// The Node services as one module, for the Electron build: vite.main.config.ts emits it as
// services.js beside main.js, the verifier's workers (prepare-worker.js, chain-worker.js) and
// sql-wasm.wasm. Nothing here imports Electron, so the packaged services can be loaded and run
// in plain Node (test/packaging.test.ts does); main.js itself needs the Electron runtime.
export * as verify from './verify';
export * as index from './index';
export * as store from './store';
export * as sync from './sync';
export * as bundle from './bundle';
