// Deterministic simulation speed: a whole experiment on virtual time in this process.
// The floor is real time itself (a real run of the experiment takes its duration), so the
// ratio is the speed-up: simulated seconds per wall second.
import { SimRun } from '../core/simulation/sim-run.js';
import { ScratchStore, simulateSeed } from '../core/simulation/simulate-seed.js';
import { experiment, tempDbPath } from './support.js';

/** Runs after the first one in a process whose median is the steady-state speed. */
export const WARM_RUNS = 3;

export interface SimBench {
  virtualMs: number;
  /** Wall ms running events only, and in all (setup, closing the record, the checks). */
  loopMs: number;
  /** CPU ms of the process while events ran, the recording thread included. */
  loopCpuMs: number;
  /** Wall ms until every row was committed: setup, events and recording. */
  recordedMs: number;
  wallMs: number;
  events: number;
  checksValid: boolean;
}

/** 5 Raft nodes under a kv workload, with loss and a leader partition, for 60 s. */
export const RAFT_KV_60S = {
  name: 'bench-sim-raft',
  mode: 'simulate',
  seed: 1,
  duration: '60s',
  nodes: { count: 5, program: 'raft' },
  network: { latency: { distribution: 'normal', mean: '5ms', jitter: '2ms' }, loss: 0.01 },
  faults: [
    { at: '20s', partition: 'leader' },
    { at: '30s', heal: true },
  ],
  workload: { kind: 'kv', rate: 100, clients: 5, keys: 5, timeout: '1s' },
};

/** 50 SWIM nodes for 60 s, one of them crashing. */
export const SWIM_50_60S = {
  name: 'bench-sim-swim',
  mode: 'simulate',
  seed: 1,
  duration: '60s',
  nodes: { count: 50, program: 'swim' },
  network: { latency: { distribution: 'normal', mean: '3ms', jitter: '1ms' }, loss: 0.01 },
  faults: [{ at: '20s', kill: 'n7' }],
};

export async function simulationSpeed(file: Record<string, unknown>): Promise<SimBench> {
  const summary = await new SimRun(experiment(file), tempDbPath()).execute();
  const sim = summary.simulation!;
  return { virtualMs: summary.durationMs, loopMs: sim.loopMs, loopCpuMs: sim.loopCpuMs, recordedMs: sim.recordedMs, wallMs: sim.wallMs, events: sim.events, checksValid: summary.status === 'completed' && Object.values(summary.checks).every((c) => c.valid) };
}

/**
 * A short run as the suite's and `distlab hunt`'s many seeds are: 3 Raft nodes, 1.5 s of
 * virtual time, a lin-kv workload, loss and a partition of the leader.
 */
export const RAFT_SHORT_SEED = {
  name: 'bench-sim-seed',
  mode: 'simulate',
  seed: 1,
  duration: '1500ms',
  nodes: { count: 3, program: 'raft' },
  network: { latency: { distribution: 'normal', mean: '3ms', jitter: '2ms' }, loss: 0.05, reorder: 0.1 },
  faults: [
    { at: '600ms', partition: 'leader' },
    { at: '1100ms', heal: true },
  ],
  workload: { kind: 'lin-kv', rate: 40, clients: 2, keys: 3, timeout: '500ms' },
};

export interface SeedCost {
  seeds: number;
  /** Wall and CPU ms per seed: simulating, recording into the scratch store, and every check. */
  wallMsPerSeed: number;
  cpuMsPerSeed: number;
  eventsPerSeed: number;
  failing: number;
}

/** Simulates `seeds` seeds one after another (after a few to warm up), as simulateSeed does for a hunt. */
export async function perSeedCost(file: Record<string, unknown>, seeds: number): Promise<SeedCost> {
  const exp = experiment(file);
  const scratch = new ScratchStore();
  try {
    for (let seed = 1; seed <= 20; seed++) await simulateSeed(exp, 1_000_000 + seed, scratch);
    let events = 0;
    let failing = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let seed = 1; seed <= seeds; seed++) {
      const outcome = await simulateSeed(exp, seed, scratch);
      events += outcome.events;
      if (outcome.status !== 'completed' || outcome.failing.length > 0) failing++;
    }
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return { seeds, wallMsPerSeed: wallMs / seeds, cpuMsPerSeed: (used.user + used.system) / 1000 / seeds, eventsPerSeed: events / seeds, failing };
  } finally {
    scratch.close();
  }
}
