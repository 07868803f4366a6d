// One run of an experiment in simulation: every node, client, service and link in this one
// process on virtual time. The order of things mirrors a real run (core/engine/run.ts), and
// so does the record: same tables, same rows, same checks and measurements. Every choice
// comes from the seed, so the same file and seed give the same record.
import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type { Experiment, FaultAction, NodeId } from '../experiment/types.js';
import { clientIds, nodeIds } from '../experiment/types.js';
import { ENGINE_ENDPOINT_ID } from '../sdk/wire.js';
import type { Body, Program } from '../sdk/protocol.js';
import { loadProgram } from '../programs/loaders.js';
import { createRun, finishRun } from '../store/runs.js';
import { Recorder } from '../store/recorder.js';
import { openStore } from '../engine/open-store.js';
import { createRng } from '../engine/prng.js';
import { applyFault, TOPOLOGY_FAULTS } from '../engine/fault-injector.js';
import { LeaderTracker } from '../engine/leader-tracker.js';
import { teeSink, untilClosed, type RecordSink } from '../engine/run-tap.js';
import { analyzeRecord, clientSummary } from '../engine/analyze-run.js';
import { zeroCounts } from '../engine/message-counts.js';
import type { Notice, RunStatus, RunSummary } from '../engine/run.js';
import { createServices } from '../services/registry.js';
import { createWorkload } from '../workloads/create.js';
import type { ClientPort, Workload } from '../workloads/workload.js';
import { Scheduler } from './scheduler.js';
import { SimNetwork, type SimEndpoint } from './sim-network.js';
import { ProtocolStepError, SimNode } from './sim-node.js';
import { SimClient, SimEngineEndpoint, SimService } from './sim-endpoints.js';
import { simulateFinalPhase, type SimPhases } from './sim-final-phase.js';

interface SimRunEvents {
  started: [{ runId: number }];
  notice: [Notice];
  fault: [{ tUs: number; action: FaultAction; source: 'schedule' | 'live' }];
}

/** Events run between yields to the event loop, so that a stop request or a live view gets a turn. */
const EVENTS_PER_SLICE = 20_000;
/** After the duration, how long open requests may still be answered: as a real run's drain. */
const DRAIN_GRACE_MS = 1000;

export class SimRun extends EventEmitter<SimRunEvents> {
  runId = 0;
  private db!: Database.Database;
  private recorder: Recorder | null = null;
  private sink!: RecordSink;
  private finished = false;
  private readonly scheduler = new Scheduler();
  private network!: SimNetwork;
  private readonly nodes = new Map<NodeId, SimNode>();
  private readonly services: SimService[] = [];
  private workload: Workload | null = null;
  private finalPhase: RunSummary['finalPhase'] | null = null;
  private readonly problems: string[] = [];
  private readonly workloadWarnings: string[] = [];
  private readonly leader = new LeaderTracker();
  private readonly faultRng;
  private stopRequested: RunStatus | null = null;
  private wallStartMs = 0;
  /** Wall ms spent running events: the simulation proper, without setup, recording and checks. */
  private loopMs = 0;
  /** CPU ms of this process meanwhile (the recorder's worker included): the cost on a machine others share. */
  private loopCpuMs = 0;
  originRunId: number | null = null;

  constructor(
    readonly experiment: Experiment,
    /** The store's path, or an open database the caller keeps (a scratch `:memory:` one, say). */
    private readonly store: string | Database.Database,
    private readonly tap: RecordSink | null = null,
    /** Where built-in programs come from; a test may add its own. */
    private readonly load: (name: string) => Promise<Program> | undefined = loadProgram,
  ) {
    super();
    this.faultRng = createRng(experiment.seed, 'faults');
  }

  stop(status: RunStatus = 'interrupted'): void {
    this.stopRequested ??= status;
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
    const exp = this.experiment;
    const program = await this.loadBuiltIn(exp.nodes.program);
    this.recorder = Recorder.inThread(this.db, this.db.name, this.runId);
    this.recorder.on('error', (error: Error) => this.problem(null, `recorder error: ${error.message}`));
    this.sink = untilClosed(this.tap ? teeSink(this.recorder, this.tap) : this.recorder, () => this.finished);
    const nodeNames = nodeIds(exp.nodes.count);
    const send = (from: NodeId, to: NodeId, body: Body) => this.network.send(from, to, body.type, JSON.stringify(body));
    // The same addresses as a real run: the engine, the nodes, the clients, then the services.
    const endpoints: SimEndpoint[] = [new SimEngineEndpoint(ENGINE_ENDPOINT_ID)];
    const host = {
      scheduler: this.scheduler,
      sink: this.sink,
      send,
      sinkRetains: this.tap !== null,
      nodeEvent: (node: NodeId, kind: string, data: unknown) => this.leader.observe(node, kind, data),
      exited: (node: SimNode, code: number | null, signal: string | null) => this.onExit(node, code, signal),
    };
    for (const name of nodeNames) {
      const clock = exp.nodes.clocks[name] ?? exp.nodes.clock;
      const node = new SimNode(name, endpoints.length, program, exp.nodes.params, exp.seed, clock, nodeNames, host);
      this.nodes.set(name, node);
      endpoints.push(node);
    }
    for (const name of clientIds(exp.workload.clients)) endpoints.push(new SimClient(name, () => this.workload));
    for (const provided of createServices(exp.seed)) {
      const service = new SimService(provided, this.scheduler, send);
      this.services.push(service);
      endpoints.push(service);
    }
    this.network = new SimNetwork(endpoints, exp.network.defaults, exp.seed, this.scheduler, this.sink);
    this.network.links.setOverrides(exp.network.links);
    // Faults at one time fire in the file's order: the scheduler keeps the order of scheduling.
    for (const fault of exp.faults) this.scheduler.at(fault.atMs * 1000, () => this.applyAndRecord(fault.action, 'schedule'));
    this.emit('started', { runId: this.runId });
    for (const node of this.nodes.values()) this.startNode(node);
  }

  private async play(): Promise<RunStatus> {
    const exp = this.experiment;
    this.sink.event(this.scheduler.nowUs, ENGINE_ENDPOINT_ID, 'nodes-up', { nodes: exp.nodes.count, seed: exp.seed });
    this.workload = createWorkload(exp.workload, this.clientPort(), createRng(exp.seed, 'workload'));
    this.workload?.start();
    if (!(await this.runFor(exp.durationMs))) return this.stopRequested ?? 'interrupted';
    const workload = this.workload;
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

  /** What the final phase needs of the run. */
  private phases(): SimPhases {
    return {
      nodes: this.nodes,
      apply: (action) => this.applyAndRecord(action, 'schedule'),
      notice: (text) => this.notice(null, text),
      event: (kind, data) => this.sink.event(this.scheduler.nowUs, ENGINE_ENDPOINT_ID, kind, data),
      runFor: (ms, done) => this.runFor(ms, done),
    };
  }

  /**
   * Runs virtual time forward by ms, or until `done()`; yields to the event loop now and
   * then. False when the run was stopped meanwhile.
   */
  private async runFor(ms: number, done: () => boolean = () => false): Promise<boolean> {
    const untilUs = this.scheduler.nowUs + ms * 1000;
    const stop = () => this.stopRequested !== null || done();
    for (;;) {
      const sliceStartMs = performance.now();
      const sliceStartCpu = process.cpuUsage();
      const more = this.scheduler.runUntil(untilUs, EVENTS_PER_SLICE, stop);
      this.loopMs += performance.now() - sliceStartMs;
      const cpu = process.cpuUsage(sliceStartCpu);
      this.loopCpuMs += (cpu.user + cpu.system) / 1000;
      if (!more || stop()) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this.stopRequested === null;
  }

  private async finish(status: RunStatus): Promise<RunSummary> {
    const tEndUs = this.scheduler.nowUs;
    this.network?.endTraffic();
    for (const service of this.services) service.endTraffic();
    if (this.recorder) for (const node of this.nodes.values()) node.shutdown();
    const summary = this.summarize(status, tEndUs / 1000);
    if (this.recorder) {
      this.sink.event(tEndUs, ENGINE_ENDPOINT_ID, 'run-end', { status });
      this.finished = true;
      try {
        await this.recorder.close();
        analyzeRecord(this.db, this.runId, this.experiment, summary);
      } catch (error) {
        summary.problems.push(`recorder error: ${(error as Error).message}`);
        summary.status = 'failed';
      }
    }
    summary.simulation = { events: this.scheduler.eventsRun, loopMs: Math.round(this.loopMs), loopCpuMs: Math.round(this.loopCpuMs), wallMs: Math.round(performance.now() - this.wallStartMs) };
    finishRun(this.db, this.runId, { status: summary.status, endedAtMs: Date.now(), durationMs: summary.durationMs, summary });
    if (typeof this.store === 'string') this.db.close();
    return summary;
  }

  private summarize(status: RunStatus, durationMs: number): RunSummary {
    const { checks, ops, latencyMs } = clientSummary(this.experiment, this.workload?.stats);
    return {
      runId: this.runId,
      name: this.experiment.name,
      seed: this.experiment.seed,
      status,
      durationMs: Math.round(durationMs * 1000) / 1000,
      nodes: this.experiment.nodes.count,
      messages: { ...(this.network?.counts ?? zeroCounts()) },
      ops,
      latencyMs,
      // Deliveries leave exactly at their due time: there is no lateness to report.
      deliveryLatenessUs: null,
      checks,
      measurements: null,
      problems: [...this.problems],
      warnings: [...this.workloadWarnings],
      overload: null,
      ...(this.finalPhase && { finalPhase: this.finalPhase }),
    };
  }

  private loadBuiltIn(name: string | undefined): Promise<Program> {
    const loading = name === undefined ? undefined : this.load(name);
    if (!loading) throw new Error(`nodes.program: "${name}" is not a built-in program, which a simulation needs`);
    return loading;
  }

  private startNode(node: SimNode): void {
    // The incarnation boot() is about to start, as a real run records the process before its init.
    this.recorder?.nodeStarted(node.id, node.incarnation + 1, null, null, [this.experiment.nodes.program!], this.scheduler.nowUs);
    node.boot();
  }

  private onExit(node: SimNode, code: number | null, signal: string | null): void {
    const tUs = this.scheduler.nowUs;
    if (!this.finished) this.recorder?.nodeExited(node.id, node.incarnation, tUs, code, signal);
    this.sink.event(tUs, node.id, 'exit', { code, signal, incarnation: node.incarnation });
  }

  private applyAndRecord(action: FaultAction, source: 'schedule' | 'live'): void {
    const tUs = this.scheduler.nowUs;
    const detail = applyFault(action, {
      sw: this.network,
      nodes: this.nodes,
      addressOf: (id) => this.network.address(id),
      restart: (node) => {
        node.signal('SIGKILL');
        this.startNode(node);
      },
      rng: this.faultRng,
      leader: this.leader.current,
    });
    // The links blocked from now on, so that a replay knows the network exactly at any time.
    if (TOPOLOGY_FAULTS.has(action.kind)) detail.blocked = this.network.topology.blockedPairs().map(([a, b]) => [this.network.idOf(a), this.network.idOf(b)]);
    this.sink.fault(tUs, action.kind, detail, source);
    this.emit('fault', { tUs, action, source });
  }

  private clientPort(): ClientPort {
    return {
      clients: clientIds(this.experiment.workload.clients),
      nodes: [...this.nodes.keys()],
      nowUs: () => this.scheduler.nowUs,
      send: (client, node, body) => this.network.send(client, node, body.type, JSON.stringify(body)),
      recordOperation: this.sink.operation.bind(this.sink),
      warn: (text) => {
        this.workloadWarnings.push(text);
        this.sink.event(this.scheduler.nowUs, ENGINE_ENDPOINT_ID, 'workload-warning', { text });
        this.notice(null, text);
      },
      timers: this.scheduler,
    };
  }

  private problem(node: NodeId | null, text: string): void {
    this.problems.push(node ? `${node}: ${text}` : text);
    if (this.sink && !this.finished) this.sink.event(this.scheduler.nowUs, node ?? ENGINE_ENDPOINT_ID, 'problem', { text });
    this.notice(node, text);
  }

  private notice(node: NodeId | null, text: string): void {
    this.emit('notice', { tUs: this.scheduler.nowUs, node, text });
  }
}


function describeFailure(error: unknown): string {
  if (error instanceof ProtocolStepError) return `protocol error in simulation: ${error.step}`;
  return `engine error: ${(error as Error).message}`;
}
