import { defineConfig } from 'vitest/config';

// Tests marked concurrent (the presets and other runs that mostly wait on their run's clock)
// run three at a time: a preset takes about 0.4 of a core, and more at once made
// timing-sensitive presets (primary-backup) and Python nodes miss their marks. Set per
// project: a project does not inherit the root's test options.
const shared = { testTimeout: 60_000, hookTimeout: 60_000, maxConcurrency: 3 };

/**
 * Process tests that judge what a command, a file or the lab's API gives, not how fast a run
 * went: they run two files at a time beside the browser tests instead of one at a time.
 */
const UNTIMED_PROCESS_TESTS = [
  'test/integration/cli-pipes.test.ts',
  'test/integration/sweep-api.test.ts',
  'test/integration/compare-lab.test.ts',
  'test/integration/export-shiviz.test.ts',
  'test/integration/export-jsonl.test.ts',
  'test/integration/host-process.test.ts',
  'test/integration/replay-cursor.test.ts',
  'test/integration/replay-cli.test.ts',
  'test/integration/server.test.ts',
  'test/integration/server-lab.test.ts',
  'test/integration/server-lab-simulate.test.ts',
  'test/integration/simulate-cli.test.ts',
  'test/integration/stepping-cli.test.ts',
  'test/integration/hunt-cli.test.ts',
  'test/integration/hunt-api.test.ts',
  'test/electron/main-process.test.ts',
  'test/electron/engine-host.test.ts',
  'test/electron/ipc-validation.test.ts',
  'test/electron/renderer-files.test.ts',
  'test/electron/app-paths.test.ts',
];

export default defineConfig({
  test: {
    // Under `npm test`, starts the 1,000-seed tests at the lowest CPU priority beside the rest.
    globalSetup: ['test/seeds-in-background.ts'],
    projects: [
      {
        // Pure tests: no processes, no timing. Files run side by side, before the process tests
        // start: two at a time, as vitest's default (cores − 1) ran them one by one on two cores.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/renderer/**/*.test.ts'], fileParallelism: true, maxWorkers: 2, sequence: { groupOrder: 0 }, ...shared },
      },
      {
        // Real processes that measure time: one file at a time on a 2-core machine keeps their timing honest.
        test: { name: 'process', include: ['test/integration/**/*.test.ts', 'test/electron/**/*.test.ts'], exclude: UNTIMED_PROCESS_TESTS, fileParallelism: false, sequence: { groupOrder: 1 }, ...shared },
      },
      {
        // The untimed process tests, two files at a time in the browser tests' group (a group shares its workers).
        test: { name: 'process-untimed', include: UNTIMED_PROCESS_TESTS, maxWorkers: 2, sequence: { groupOrder: 2 }, ...shared },
      },
      {
        // The UI in Chromium, last: these wait on pages and runs rather than measure time, so two files run side by side.
        test: { name: 'browser', include: ['test/e2e/**/*.test.ts'], maxWorkers: 2, sequence: { groupOrder: 2 }, ...shared },
      },
      {
        // Judges the background 1,000-seed tests' report (vitest.seeds.config.ts), waiting for it if need be.
        test: { name: 'seeds', include: ['test/seeds-report/**/*.test.ts'], sequence: { groupOrder: 3 }, ...shared },
      },
    ],
  },
});
