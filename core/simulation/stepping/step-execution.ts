// One execution of a stepped simulation: the world after bring-up, with its record kept in
// an in-memory database so that the run's own checks can judge it after every step. Going
// back means a new execution from the root: the same experiment, seed and choices give the
// same world again.
import type Database from 'better-sqlite3';
import type { Experiment, NodeId, StepChoice } from '../../experiment/types.js';
import type { Program } from '../../sdk/protocol.js';
import type { CheckResult } from '../../checks/run-checks.js';
import { openDatabase } from '../../store/database.js';
import { createRun } from '../../store/runs.js';
import { Recorder } from '../../store/recorder.js';
import { SimWorld } from '../sim-world.js';
import { ProtocolStepError } from '../sim-node.js';
import { toJsonSafe } from './json-state.js';
import { checksSoFar } from './step-checks.js';
import { takeChoice, type StepOutcome } from './take-choice.js';

export class StepExecution {
  readonly world: SimWorld;
  /** Set when a step made a protocol throw: the world is then left as the exception left it, and takes no more steps. */
  failure: ProtocolStepError | null = null;
  private readonly db: Database.Database;
  private readonly runId: number;
  private readonly recorder: Recorder;

  constructor(
    readonly experiment: Experiment,
    program: Program,
  ) {
    this.db = openDatabase(':memory:');
    this.runId = createRun(this.db, { name: experiment.name, experiment, seed: experiment.seed, startedAtMs: 0, enginePid: process.pid, engineStartTime: null });
    this.recorder = Recorder.inThread(this.db, ':memory:', this.runId);
    this.world = new SimWorld(experiment, program, this.recorder, {
      lifecycle: this.recorder,
      recordClosed: () => false,
      sinkRetains: false,
      notice: () => {},
    });
    this.world.startNodes();
    this.world.startWorkload();
  }

  /** Takes one step; a protocol that throws is kept as this execution's failure and thrown again. */
  take(choice: StepChoice): StepOutcome {
    if (this.failure) throw this.failure;
    try {
      return takeChoice(this.world, choice);
    } catch (error) {
      if (error instanceof ProtocolStepError) this.failure = error;
      throw error;
    }
  }

  /** Each node's protocol state as JSON. */
  states(): Map<NodeId, unknown> {
    return new Map([...this.world.nodes].map(([id, node]) => [id, toJsonSafe(node.protocolState)]));
  }

  /** The run's checks on everything recorded so far. */
  async checks(): Promise<Record<string, CheckResult>> {
    await this.recorder.flush();
    return checksSoFar(this.db, this.runId, this.experiment, this.world.workload);
  }

  /** True once nothing is left to run before the experiment's duration (or a protocol threw). */
  get done(): boolean {
    const next = this.world.scheduler.peek();
    return this.failure !== null || next === null || next.atUs > this.experiment.durationMs * 1000;
  }

  async close(): Promise<void> {
    await this.recorder.close().catch(() => {});
    this.db.close();
  }
}
