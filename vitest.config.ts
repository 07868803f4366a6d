import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests run real processes and measure time; running files one at a
    // time on a 2-core machine keeps their timing honest.
    fileParallelism: false,
    // Tests marked concurrent (the presets, which mostly wait on their runs' clocks) run three at a time.
    maxConcurrency: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
