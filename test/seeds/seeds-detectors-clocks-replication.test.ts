// Issue 14: each built-in protocol's checks hold in simulation across 1,000 seeds. Half of the
// protocols here, half in seeds-elections-stores-maelstrom.test.ts, so that the two files run side by side.
import { describe, it } from 'vitest';
import { SEED_EXPERIMENTS, SEED_FILES } from './experiments.js';
import { expectHoldsAcrossSeeds, SEEDS, SEEDS_TIMEOUT_MS } from './across-seeds.js';

describe(`failure detectors, clocks and replication hold across ${SEEDS} seeds`, () => {
  for (const name of SEED_FILES.detectorsClocksReplication) it(name, () => expectHoldsAcrossSeeds(name, SEED_EXPERIMENTS[name]), SEEDS_TIMEOUT_MS);
});
