import { defineConfig } from 'vitest/config';

// The 1,000-seed tests of every built-in protocol, and their survival of corrupted bodies
// (test/seeds/): pure CPU. `npm test` runs
// them in a child vitest at the lowest CPU priority, beside the process tests, which mostly
// wait on their runs' clocks (test/seeds-in-background.ts); the `seeds` project then reads
// the child's report. Run them directly with `npx vitest run --config vitest.seeds.config.ts`.
export default defineConfig({
  test: { include: ['test/seeds/**/*.test.ts'], fileParallelism: false, testTimeout: 600_000 },
});
