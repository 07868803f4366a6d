import { defineConfig } from 'vitest/config';

const shared = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // Tests marked concurrent (the presets and other runs that mostly wait on their run's
    // clock) run four at a time: a preset takes about 0.4 of a core.
    maxConcurrency: 4,
    projects: [
      {
        // Pure tests: no processes, no timing. Files run side by side, before the process tests start.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/renderer/**/*.test.ts'], fileParallelism: true, sequence: { groupOrder: 0 }, ...shared },
      },
      {
        // Real processes that measure time: one file at a time on a 2-core machine keeps their timing honest.
        test: { name: 'process', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/electron/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 }, ...shared },
      },
    ],
  },
});
