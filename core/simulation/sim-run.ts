// One run of an experiment in simulation: every node, client, service and link in this one
// process on virtual time. The order of things mirrors a real run (core/engine/run.ts), and
// so does the record: same tables, same rows, same checks and measurements. Every choice
// comes from the seed, so the same file and seed give the same record.
import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type { Experiment, FaultAction, NodeId, StepChoice } from '../experiment/types.js';
import { ENGINE_ENDPOINT_ID } from '../sdk/wire.js';
import type { Program } from '../sdk/protocol.js';
import { loadProgram } from '../programs/loaders.js';
import { createRun, finishRun } from '../store/runs.js';
import { Recorder, SIMULATION_BATCH_ROWS, SIMULATION_CHECKPOINT_PAGES } from '../store/recorder.js';
import { openStore } from '../engine/open-store.js';
import { teeSink, untilClosed, type RecordSink } from '../engine/run-tap.js';
import { analyzeRecord, clientSummary } from '../engine/analyze-run.js';
import { zeroCounts } from '../engine/message-counts.js';
import type { Notice, RunStatus, RunSummary } from '../engine/run.js';
import type { NodeState } from '../engine/node-process.js';
import { ProtocolStepError } from './sim-node.js';
import { withRandomFaults } from '../experiment/random-faults.js';
import { SimWorld } from './sim-world.js';
import { StepChoiceError, takeChoice } from './stepping/take-choice.js';
import { simulateFinalPhase, type SimPhases } from './sim-final-phase.js';

interface SimRunEvents {
  started: [{ runId: number }];
  /** Every node booted, as a real run's nodesUp (a simulated node is up as soon as it starts). */
  nodesUp: [{ elapsedMs: number; up: number }];
  notice: [Notice];
  fault: [{ tUs: number; action: FaultAction; source: 'schedule' | 'live' }];
}

/**
 * Events run between yields to the event loop, so that a stop request or a live view gets a
 * turn; the rows of each slice go to the recorder's worker at once, so that its commits overlap
 * the events (60 s of Raft in slices of 20,000 events left half its rows to commit at the end).
 */
const EVENTS_PER_SLICE = 4096;
/** After the duration, how long open requests may still be answered: as a real run's drain. */
const DRAIN_GRACE_MS = 1000;

export class SimRun extends EventEmitter<SimRunEvents> {
  runId = 0;
  private db!: Database.Database;
  private recorder: Recorder | null = null;
  private sink!: RecordSink;
  private finished = false;
  /** Every party of the simulation, once it is built. */
  private world: SimWorld | null = null;
  private finalPhase: RunSummary['finalPhase'] | null = null;
  private readonly problems: string[] = [];
  private stopRequested: RunStatus | null = null;
  private wallStartMs = 0;
  /** Wall ms spent running events: the simulation proper, without setup, recording and checks. */
  private loopMs = 0;
  /** CPU ms of this process meanwhile (commits between slices included): the cost on a machine others share. */
  private loopCpuMs = 0;
  /** Wall ms from the start until every row was committed: the run simulated and recorded, before the checks. */
  private recordedMs: number | null = null;
  originRunId: number | null = null;
  /** Whether the summary gets the run's measurements; a seed judged on its checks alone skips them. */
  measure = true;

  /** The experiment as run: random faults drawn from its seed into a concrete list, which the record keeps. */
  readonly experiment: Experiment;

  constructor(
    file: Experiment,
    /** The store's path, or an open database the caller keeps (a scratch `:memory:` one, say). */
    private readonly store: string | Database.Database,
    private readonly tap: RecordSink | null = null,
    /** Where built-in programs come from; a test may add its own. */
    private readonly load: (name: string) => Promise<Program> | undefined = loadProgram,
  ) {
    super();
    this.experiment = withRandomFaults(file);
  }

  stop(status: RunStatus = 'interrupted'): void {
    this.stopRequested ??= status;
  }

  /** Virtual time, for a live view: the same face as a real run's clock. */
  readonly clock = { nowUs: (): number => this.world?.scheduler.nowUs ?? 0 };

  /** Each node's lifecycle state, for live views. */
  nodeStates(): Record<NodeId, NodeState> {
    return Object.fromEntries([...(this.world?.nodes ?? [])].map(([id, node]) => [id, node.state]));
  }

  /** Directed links blocked by partitions and cuts right now. */
  blockedLinks(): Array<[NodeId, NodeId]> {
    return this.world?.blockedLinks() ?? [];
  }

  async execute(): Promise<RunSummary> {
    this.wallStartMs = performance.now();
    this.openRecord();
    let status: RunStatus = 'failed';
    try {
      await this.bringUp();
      status = await this.play();
    } catch (error) {
      this.problem(error instanceof ProtocolStepError ? error.node : null, describeFailure(error));
      status = 'failed';
    }
    return this.finish(status);
  }

  private openRecord(): void {
    this.db = typeof this.store === 'string' ? openStore(this.store) : this.store;
    this.runId = createRun(this.db, {
      name: this.experiment.name,
      experiment: this.experiment,
      seed: this.experiment.seed,
      startedAtMs: Date.now(),
      enginePid: process.pid,
      engineStartTime: null,
      originRunId: this.originRunId,
    });
  }

  private async bringUp(): Promise<void> {
    const program = await this.loadBuiltIn(this.experiment.nodes.program);
    // A file store is written by the recorder's worker, so that commits overlap the events (60 s of
    // Raft: recorded in 0.84–1.0 s instead of 1.4 s warm); an open database is written here.
    const recorder = typeof this.store === 'string'
      ? Recorder.startInBackground(this.store, this.runId, { maxBatchRows: SIMULATION_BATCH_ROWS, flushIntervalMs: 250, checkpointEveryPages: SIMULATION_CHECKPOINT_PAGES })
      : Recorder.inThread(this.db, this.db.name, this.runId);
    this.recorder = recorder;
    recorder.on('error', (error: Error) => this.problem(null, `recorder error: ${error.message}`));
    this.sink = untilClosed(this.tap ? teeSink(recorder, this.tap) : recorder, () => this.finished);
    this.world = new SimWorld(this.experiment, program, this.sink, {
      lifecycle: recorder,
      recordClosed: () => this.finished,
      sinkRetains: this.tap !== null,
      notice: (node, text) => this.notice(node, text),
      faulted: (tUs, action, source) => this.emit('fault', { tUs, action, source }),
    });
    this.emit('started', { runId: this.runId });
    this.world.startNodes();
    this.emit('nodesUp', { elapsedMs: performance.now() - this.wallStartMs, up: this.world.nodes.size });
  }

  private async play(): Promise<RunStatus> {
    const exp = this.experiment;
    const world = this.world!;
    world.startWorkload();
    if (exp.steps) return this.playSteps(world, exp.steps);
    if (!(await this.runFor(exp.durationMs))) return this.stopRequested ?? 'interrupted';
    const workload = world.workload;
    if (workload) {
      workload.stopIssuing();
      await this.runFor(Math.min(DRAIN_GRACE_MS, exp.workload.timeoutMs), () => workload.outstanding === 0);
      const finalPhase = await simulateFinalPhase(exp.workload, workload, this.phases());
      if (finalPhase) this.finalPhase = finalPhase;
      workload.abandon();
    }
    if (this.stopRequested) return this.stopRequested;
    return 'completed';
  }

  /**
   * A stepped run: the saved choices one by one, and the run ends after the last, with what
   * is then in flight or open recorded so (no drain, no final phase: the steps are the run).
   */
  private async playSteps(world: SimWorld, steps: readonly StepChoice[]): Promise<RunStatus> {
    for (let i = 0; i < steps.length; i++) {
      if (this.stopRequested) return this.stopRequested;
      try {
        takeChoice(world, steps[i]);
      } catch (error) {
        if (error instanceof StepChoiceError) throw new StepsError(i, error.message);
        throw error;
      }
      if ((i + 1) % EVENTS_PER_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    world.workload?.stopIssuing();
    world.workload?.abandon();
    return 'completed';
  }

  /** What the final phase needs of the run. */
  private phases(): SimPhases {
    const world = this.world!;
    return {
      nodes: world.nodes,
      apply: (action) => world.applyFault(action, 'schedule'),
      notice: (text) => this.notice(null, text),
      event: (kind, data) => this.sink.event(world.scheduler.nowUs, ENGINE_ENDPOINT_ID, kind, data),
      runFor: (ms, done) => this.runFor(ms, done),
    };
  }

  /**
   * Runs virtual time forward by ms, or until `done()`; yields to the event loop now and
   * then. False when the run was stopped meanwhile.
   */
  private async runFor(ms: number, done: () => boolean = () => false): Promise<boolean> {
    const scheduler = this.world!.scheduler;
    const untilUs = scheduler.nowUs + ms * 1000;
    const stop = () => this.stopRequested !== null || done();
    // CPU is read once per call, not per slice: a getrusage() per slice was a tenth of a short seed.
    const startCpu = process.cpuUsage();
    for (;;) {
      const sliceStartMs = performance.now();
      const more = scheduler.runUntil(untilUs, EVENTS_PER_SLICE, stop);
      this.loopMs += performance.now() - sliceStartMs;
      this.recorder?.shipBuffered();
      if (!more || stop()) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const cpu = process.cpuUsage(startCpu);
    this.loopCpuMs += (cpu.user + cpu.system) / 1000;
    return this.stopRequested === null;
  }

  private async finish(status: RunStatus): Promise<RunSummary> {
    const world = this.world;
    const tEndUs = world?.scheduler.nowUs ?? 0;
    world?.endTraffic();
    if (this.recorder) world?.shutdownNodes();
    const summary = this.summarize(status, tEndUs / 1000);
    if (this.recorder) {
      this.sink.event(tEndUs, ENGINE_ENDPOINT_ID, 'run-end', { status });
      this.finished = true;
      try {
        await this.recorder.close();
        this.recordedMs = performance.now() - this.wallStartMs;
        analyzeRecord(this.db, this.runId, this.experiment, summary, undefined, this.measure);
      } catch (error) {
        summary.problems.push(`recorder error: ${(error as Error).message}`);
        summary.status = 'failed';
      }
    }
    const wallMs = performance.now() - this.wallStartMs;
    summary.simulation = { events: world?.scheduler.eventsRun ?? 0, loopMs: Math.round(this.loopMs), loopCpuMs: Math.round(this.loopCpuMs), recordedMs: Math.round(this.recordedMs ?? wallMs), wallMs: Math.round(wallMs) };
    finishRun(this.db, this.runId, { status: summary.status, endedAtMs: Date.now(), durationMs: summary.durationMs, summary });
    if (typeof this.store === 'string') this.db.close();
    return summary;
  }

  private summarize(status: RunStatus, durationMs: number): RunSummary {
    const world = this.world;
    const { checks, ops, latencyMs } = clientSummary(this.experiment, world?.workload?.stats);
    return {
      runId: this.runId,
      name: this.experiment.name,
      seed: this.experiment.seed,
      status,
      durationMs: Math.round(durationMs * 1000) / 1000,
      nodes: this.experiment.nodes.count,
      messages: { ...(world?.network.counts ?? zeroCounts()) },
      ops,
      latencyMs,
      // Deliveries leave exactly at their due time: there is no lateness to report.
      deliveryLatenessUs: null,
      checks,
      measurements: null,
      problems: [...this.problems],
      warnings: [...(world?.workloadWarnings ?? [])],
      overload: null,
      ...(this.finalPhase && { finalPhase: this.finalPhase }),
    };
  }

  private loadBuiltIn(name: string | undefined): Promise<Program> {
    const loading = name === undefined ? undefined : this.load(name);
    if (!loading) throw new Error(`nodes.program: "${name}" is not a built-in program, which a simulation needs`);
    return loading;
  }

  private problem(node: NodeId | null, text: string): void {
    this.problems.push(node ? `${node}: ${text}` : text);
    if (this.sink && !this.finished) this.sink.event(this.nowUs(), node ?? ENGINE_ENDPOINT_ID, 'problem', { text });
    this.notice(node, text);
  }

  private notice(node: NodeId | null, text: string): void {
    this.emit('notice', { tUs: this.nowUs(), node, text });
  }

  private nowUs(): number {
    return this.world?.scheduler.nowUs ?? 0;
  }
}


/** A saved step that cannot be taken: the file's steps do not fit its experiment and seed. */
class StepsError extends Error {
  constructor(index: number, reason: string) {
    super(`steps: step ${index + 1} cannot be taken: ${reason}`);
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof ProtocolStepError) return `protocol error in simulation: ${error.step}`;
  if (error instanceof StepsError) return error.message;
  return `engine error: ${(error as Error).message}`;
}
