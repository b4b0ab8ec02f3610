import { defineConfig } from 'vitest/config';

// Integration tests start real CometBFT devnets: long timeouts, one file at a time.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 10 * 60_000,
    hookTimeout: 15 * 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
