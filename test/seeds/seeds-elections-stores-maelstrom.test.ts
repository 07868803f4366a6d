// Issue 14: each built-in protocol's checks hold in simulation across 1,000 seeds. The other half
// is in seeds-detectors-clocks-replication.test.ts; this file also checks that the two cover every protocol.
import { describe, expect, it } from 'vitest';
import { SEED_EXPERIMENTS, SEED_FILES } from './experiments.js';
import { expectHoldsAcrossSeeds, SEEDS, SEEDS_TIMEOUT_MS } from './across-seeds.js';
import { programNames } from '../../core/programs/registry.js';

/** Broken on purpose for a lesson, or demos with nothing to check. primary-backup's async mode is its broken one; its sync mode runs. */
const NOT_EXPECTED_CORRECT = ['lin-kv-stale', 'g-counter-lossy', 'txn-write-cycle', 'echo', 'ping', 'flood', 'pingpong'];

describe(`elections, stores, Maelstrom's workloads and the rate limiter hold across ${SEEDS} seeds`, () => {
  it('every built-in protocol meant to be correct has a seed experiment', () => {
    const correct = programNames().filter((p) => !NOT_EXPECTED_CORRECT.includes(p)).sort();
    expect(Object.keys(SEED_EXPERIMENTS).sort()).toEqual(correct);
    expect([...SEED_FILES.detectorsClocksReplication, ...SEED_FILES.electionsStoresMaelstrom].sort()).toEqual(correct);
  });
  for (const name of SEED_FILES.electionsStoresMaelstrom) it(name, () => expectHoldsAcrossSeeds(name, SEED_EXPERIMENTS[name]), SEEDS_TIMEOUT_MS);
});
