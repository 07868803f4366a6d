// Deterministic simulation speed: a whole experiment on virtual time in this process.
// The floor is real time itself (a real run of the experiment takes its duration), so the
// ratio is the speed-up: simulated seconds per wall second.
import { SimRun } from '../core/simulation/sim-run.js';
import { experiment, tempDbPath } from './support.js';

export interface SimBench {
  virtualMs: number;
  /** Wall ms running events only, and in all (setup, closing the record, the checks). */
  loopMs: number;
  /** CPU ms of the process while events ran, the recorder's worker thread included. */
  loopCpuMs: number;
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
  return { virtualMs: summary.durationMs, loopMs: sim.loopMs, loopCpuMs: sim.loopCpuMs, wallMs: sim.wallMs, events: sim.events, checksValid: summary.status === 'completed' && Object.values(summary.checks).every((c) => c.valid) };
}
