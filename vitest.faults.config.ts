import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the fault suite alone (real builds interrupted and killed; a few minutes).
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
