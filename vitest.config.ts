import { defineConfig } from 'vitest/config';

// Integration tests share one embedded store per worker (PGlite takes seconds to start) and isolate by schema.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'evals/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
