// One seed of an experiment, simulated into a scratch database and judged by the run's own
// checks: what hunting across seeds and the suite's many-seed tests need. Nothing reaches the
// lab's store; a seed worth keeping is simulated again into it (same seed, same record).
import Database from 'better-sqlite3';
import type { Experiment } from '../experiment/types.js';
import type { Program } from '../sdk/protocol.js';
import type { RunStatus } from '../engine/run.js';
import { loadProgram } from '../programs/loaders.js';
import { openDatabase } from '../store/database.js';
import { SimRun } from './sim-run.js';

export interface SeedOutcome {
  seed: number;
  status: RunStatus;
  /** Names of the checks that failed, in the summary's order. */
  failing: string[];
  checks: Record<string, { valid: boolean; [detail: string]: unknown }>;
  /** Problems of the run: a protocol that threw names the node, the virtual time and the input. */
  problems: string[];
  virtualMs: number;
  events: number;
}

/** Runs this many seeds in one scratch database before starting a fresh one, so memory stays bounded. */
const RUNS_PER_SCRATCH = 50;

/** A reusable in-memory database for simulating seed after seed. */
export class ScratchStore {
  private db: Database.Database | null = null;
  private runs = 0;

  take(): Database.Database {
    if (!this.db || this.runs >= RUNS_PER_SCRATCH) {
      this.db?.close();
      this.db = openDatabase(':memory:');
      dropViewerIndexes(this.db);
      this.runs = 0;
    }
    this.runs++;
    return this.db;
  }

  /** The database the last seed was simulated into, to read more of its record than the outcome holds. */
  get current(): Database.Database | null {
    return this.db;
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }
}

/**
 * The indexes that only serve the lab's viewers (a metric series in index order, the few
 * events that are not receives): no viewer reads a scratch store, and keeping them up cost
 * a fifth of a short seed. The checks read through the run-time indexes, as they do in the lab's store.
 */
function dropViewerIndexes(db: Database.Database): void {
  db.exec('DROP INDEX metrics_by_series; DROP INDEX events_except_receives;');
}

export async function simulateSeed(experiment: Experiment, seed: number, scratch: ScratchStore, load: (name: string) => Promise<Program> | undefined = loadProgram): Promise<SeedOutcome> {
  // SimRun draws random faults from this seed, as a recorded run of it does.
  const run = new SimRun({ ...experiment, seed, seedWasRandom: false }, scratch.take(), null, load);
  // A seed is judged on its checks; its measurements would be read by nobody.
  run.measure = false;
  const summary = await run.execute();
  const failing = Object.entries(summary.checks)
    .filter(([, check]) => !check.valid)
    .map(([name]) => name);
  return {
    seed,
    status: summary.status,
    failing,
    checks: summary.checks,
    problems: summary.problems,
    virtualMs: summary.durationMs,
    events: summary.simulation?.events ?? 0,
  };
}
