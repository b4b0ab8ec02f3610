import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'network/**/*.test.ts', 'renderer/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'e2e/**', 'test/integration/**'],
    testTimeout: 20_000,
  },
});
