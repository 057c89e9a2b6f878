import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault suite runs on its own (`npm run test:faults`, and in .ci/run): it takes minutes.
    exclude: ['test/faults/**', '**/node_modules/**'],
    // Browser tests launch Chromium; two at a time suits a 2-core machine.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
