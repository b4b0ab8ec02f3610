// Lint rules, including the layering rule (see README "Layout"):
//   shared/   pure TypeScript: no node:, electron, DOM-bound or host packages;
//   renderer/ reaches the Node side only through the API contract in shared/api;
//   electron/ and network/ may use Node, never the renderer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'worker_threads', 'stream', 'url', 'util', 'zlib', 'events', 'buffer'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.vite/**', 'out/**', 'dist/**', 'renderer/dist/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', '.cache/**', 'network/.devnet/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'shared/ is pure TypeScript: no Node built-ins (layering rule).' },
          { group: ['electron', 'electron/*'], message: 'shared/ must not import electron (layering rule).' },
          { group: ['react', 'react-dom', 'react-dom/*', 'd3', 'd3-*', 'ws', 'sql.js'], message: 'shared/ must not import host or UI packages (layering rule).' },
          { group: ['**/electron/**', '**/renderer/**', '**/network/**'], message: 'shared/ must not import other layers (layering rule).' },
        ],
      }],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'renderer/ runs sandboxed: no Node built-ins (layering rule).' },
          { group: ['electron', 'electron/*'], message: 'renderer/ reaches the Node side only through the API contract (layering rule).' },
          { group: ['**/electron/**', '**/network/**'], message: 'renderer/ must not import the Node side (layering rule).' },
        ],
      }],
    },
  },
  {
    files: ['electron/**/*.ts', 'network/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'e2e/**/*.ts', '*.config.ts', '*.config.js', 'bin/**/*.mjs', 'shared/**/*.test.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['electron/**/*.ts', 'network/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/renderer/**'], message: 'The Node side must not import the renderer (layering rule).' }],
      }],
    },
  },
);
