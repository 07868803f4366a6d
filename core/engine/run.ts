// One run of an experiment: bring the nodes up, let the workload and the fault schedule
// play for the duration, then end every process and flush the record.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type net from 'node:net';
import type Database from 'better-sqlite3';
import type { Experiment, FaultAction, NodeId } from '../experiment/types.js';
import { clientIds, MEMBERSHIP_SENDER, nodeIds } from '../experiment/types.js';
import { ENGINE_ENDPOINT_ID, FrameKind, encodeFrame, frameBody, frameKind, frameType } from '../sdk/wire.js';
import type { Body } from '../sdk/protocol.js';
import type { TelemetryRecord } from '../sdk/runtime.js';
import { createRun, finishRun } from '../store/runs.js';
import { Recorder } from '../store/recorder.js';
import { openStore } from './open-store.js';
import { processStartTime } from './process-identity.js';
import { Switch, type Endpoint } from './switch.js';
import { zeroCounts, type MessageCounts } from './message-counts.js';
import { OverloadMonitor, type OverloadPeriod } from './overload-monitor.js';
import { playSchedule } from './fault-schedule.js';
import { LineLimiter } from './line-limiter.js';
import { listenSwitch } from './switch-server.js';
import { ManagedNode, nodeNiceness, type NodeObserver } from './node-process.js';
import { launchSpec } from './launch.js';
import { RunClock, atRunTime } from './run-clock.js';
import { NodeWaits } from './node-waits.js';
import { createRng } from './prng.js';
import { applyFault, TOPOLOGY_FAULTS } from './fault-injector.js';
import { ClientEndpoint, EngineEndpoint } from './client-endpoint.js';
import { ServiceEndpoint } from './service-endpoint.js';
import { createServices, SERVICE_NAMES } from '../services/registry.js';
import { createWorkload } from '../workloads/create.js';
import type { Workload } from '../workloads/workload.js';
import type { LatencySummary } from '../analysis/quantiles.js';
import { trackForEmergencyKill, untrack } from './emergency-kill.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { LeaderTracker } from './leader-tracker.js';
import { teeSink, untilClosed, type RecordSink } from './run-tap.js';
import type { RunMeasurements } from '../analysis/measure-run.js';
import type { CheckResult } from '../checks/run-checks.js';
import { analyzeRecord, clientSummary } from './analyze-run.js';
import { finalPhaseBoundMs, runFinalPhase, type FinalPhasePlan, type FinalPhaseResult } from './final-phase.js';
import { hasFinalReads } from '../experiment/workload-kinds.js';
import { DEFAULT_LEAVE_DRAIN_MS } from '../experiment/schema.js';
import { withRandomFaults } from '../experiment/random-faults.js';
import { findProgram } from '../programs/registry.js';
import { MembershipChanges, type MembershipHost } from './membership-changes.js';
import { MembershipEndpoint } from './membership-endpoint.js';

export type RunStatus = 'completed' | 'failed' | 'interrupted';

export interface RunSummary {
  runId: number;
  name: string;
  seed: number;
  status: RunStatus;
  durationMs: number;
  nodes: number;
  messages: MessageCounts;
  ops: { total: number; ok: number; fail: number; timeout: number };
  latencyMs: LatencySummary | null;
  /** µs by which scheduled deliveries left after their due time. */
  deliveryLatenessUs: { count: number; p50: number; p99: number; max: number } | null;
  checks: Record<string, CheckResult>;
  measurements: RunMeasurements | null;
  problems: string[];
  /** What the run could not do as asked: overload, messages left queued, clamped times. */
  warnings: string[];
  /** Periods when the machine or the nodes could not keep up; null when there were none. */
  overload: { periods: OverloadPeriod[]; cpuBusyMax: number; loopLagMaxMs: number } | null;
  /** Workloads judged on final reads: what the final phase after the duration did. */
  finalPhase?: FinalPhaseResult;
  /**
   * Set for a simulated run (durationMs is then virtual time): events run, wall ms and CPU ms
   * spent running them, wall ms until every row was committed (setup and recording included),
   * and wall ms in all, with the checks and measurements.
   */
  simulation?: { events: number; loopMs: number; loopCpuMs: number; recordedMs: number; wallMs: number };
}

export interface RunProgress {
  elapsedMs: number;
  /** The expected end: the experiment's duration, plus the final phase's bound when there is one. */
  durationMs: number;
  /** 'final' once the clients have stopped and the final phase (heal, quiet, final reads) runs. */
  phase: 'workload' | 'final';
  messages: MessageCounts;
  ops: { ok: number; fail: number; timeout: number };
  inFlight: number;
  nodesUp: number;
}

export interface Notice {
  tUs: number;
  node: NodeId | null;
  text: string;
}

interface RunEvents {
  started: [{ runId: number; switchPort: number }];
  nodesUp: [{ elapsedMs: number; up: number }];
  /** An event a node reported (suspect, leader, …), as recorded. */
  nodeEvent: [{ tUs: number; node: NodeId; kind: string; data: unknown }];
  progress: [RunProgress];
  notice: [Notice];
  fault: [{ tUs: number; action: FaultAction; source: 'schedule' | 'live' }];
}

const PROGRESS_INTERVAL_MS = 250;
const SHUTDOWN_GRACE_MS = 1000;
const DRAIN_GRACE_MS = 1000;

export class Run extends EventEmitter<RunEvents> {
  readonly clock = new RunClock();
  runId = 0;
  private db!: Database.Database;
  private recorder!: Recorder;
  /** Where rows go: the recorder, and the live tap when there is one. */
  private sink!: RecordSink;
  private sw!: Switch;
  private server: net.Server | null = null;
  private workload: Workload | null = null;
  private readonly nodes = new Map<NodeId, ManagedNode>();
  private readonly addresses = new Map<NodeId, number>();
  /** Every endpoint's name by address; nodes that join are added at the end. */
  private readonly endpointNames: string[] = [];
  private readonly membership: MembershipChanges;
  private membershipSender!: MembershipEndpoint;
  /** Joins and leaves wait until the initial nodes are up: they change a running experiment. */
  private readonly waitingForNodesUp: Array<{ action: FaultAction; source: 'schedule' | 'live' }> = [];
  private nodesUp = false;
  /** Set when the run's end begins: nodes still joining or draining are stopped with the others. */
  private ending = false;
  private dataDir = '';
  private switchPort = 0;
  private readonly clients = new Map<string, ClientEndpoint>();
  private readonly connectWaits = new NodeWaits();
  private readonly initWaits = new NodeWaits();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly scheduled: Array<{ cancel(): void }> = [];
  private readonly problems: string[] = [];
  private readonly workloadWarnings: string[] = [];
  private readonly finalAbort = new AbortController();
  private finalPhase: FinalPhaseResult | null = null;
  private phase: RunProgress['phase'] = 'workload';
  private overload: OverloadMonitor | null = null;
  /** Per node: telemetry records whose time lay outside the run and was clamped. */
  private readonly clampedTimes = new Map<NodeId, number>();
  /** Per node: rate limit on recording lines an external node should not have printed. */
  private readonly badLines = new Map<NodeId, LineLimiter>();
  private readonly token = randomBytes(16).toString('hex');
  private readonly faultRng;
  private readonly leader = new LeaderTracker();
  private stopRequested: ((status: RunStatus) => void) | null = null;
  /** Set once the record is being closed: nothing may be recorded after that. */
  private finished = false;
  private pendingStop: RunStatus | null = null;
  /** The run this one was started from (Run again, Run with changes); set before execute(). */
  originRunId: number | null = null;

  /** The experiment as run: random faults drawn from its seed into a concrete list, which the record keeps. */
  readonly experiment: Experiment;

  constructor(
    file: Experiment,
    private readonly dbPath: string,
    private readonly tap: RecordSink | null = null,
  ) {
    super();
    const experiment = withRandomFaults(file);
    this.experiment = experiment;
    this.faultRng = createRng(experiment.seed, 'faults');
    this.membership = new MembershipChanges(nodeIds(experiment.nodes.count), this.membershipHost(), this.nodes);
  }

  /** The nodes that are members now, and every node that ever was. */
  members(): { members: NodeId[]; ever: NodeId[] } {
    return { members: [...this.membership.members], ever: this.membership.everMembers };
  }

  /** Ends the run early; what was recorded so far is kept. */
  stop(status: RunStatus = 'interrupted'): void {
    this.finalAbort.abort();
    if (this.stopRequested) this.stopRequested(status);
    else this.pendingStop ??= status;
  }

  /** Each node's lifecycle state, for live views. */
  nodeStates(): Record<NodeId, ManagedNode['state']> {
    return Object.fromEntries([...this.nodes].map(([id, node]) => [id, node.state]));
  }

  /** Directed links blocked by partitions and cuts right now. */
  blockedLinks(): Array<[NodeId, NodeId]> {
    return this.sw ? this.sw.topology.blockedPairs().map(([a, b]) => [this.sw.idOf(a), this.sw.idOf(b)]) : [];
  }

  /** A fault from the API (the UI), applied now and recorded as live. */
  inject(action: FaultAction): void {
    this.applyAndRecord(action, 'live');
  }

  async execute(): Promise<RunSummary> {
    this.openRecord();
    let status: RunStatus = 'failed';
    try {
      // Each node's wait is bounded by the init timeout, so bring-up past the run's end and one more timeout is a fault.
      const boundMs = this.experiment.durationMs + this.experiment.nodes.initTimeoutMs;
      const broughtUp = await this.bringUpWithin(boundMs);
      if (broughtUp === 'up') status = await this.play();
      else if (broughtUp === 'stopped') status = this.pendingStop ?? 'interrupted';
      else this.problem(null, `nodes were still coming up ${boundMs} ms into the run (its duration and one init timeout); nothing was played`);
    } catch (error) {
      this.problem(null, error instanceof NoNodeUp ? error.message : `engine error: ${(error as Error).message}`);
      status = 'failed';
    }
    return this.finish(status);
  }

  /**
   * Bring-up, ended early by a stop or by `ms` of run time: a run ends on time and stops when
   * asked, whatever its nodes do while they come up.
   */
  private async bringUpWithin(ms: number): Promise<'up' | 'late' | 'stopped'> {
    let deadline: { cancel(): void } | undefined;
    const ended = new Promise<'late' | 'stopped'>((resolve) => {
      deadline = atRunTime(this.clock, ms, () => resolve('late'));
      if (this.pendingStop) resolve('stopped');
      this.stopRequested = (status) => {
        this.pendingStop ??= status;
        resolve('stopped');
      };
    });
    const up = this.bringUp().then(() => 'up' as const);
    up.catch(() => {});
    try {
      return await Promise.race([up, ended]);
    } finally {
      deadline?.cancel();
      this.stopRequested = null;
    }
  }

  private openRecord(): void {
    this.db = openStore(this.dbPath);
    this.runId = createRun(this.db, {
      name: this.experiment.name,
      experiment: this.experiment,
      seed: this.experiment.seed,
      startedAtMs: Date.now(),
      enginePid: process.pid,
      engineStartTime: processStartTime(process.pid),
      originRunId: this.originRunId,
    });
  }

  private async bringUp(): Promise<void> {
    this.recorder = await Recorder.start(this.dbPath, this.runId);
    const records = this.tap ? teeSink(this.recorder, this.tap) : this.recorder;
    // Rows that come after the record is closed (a late exit, a timer) have no place in it.
    // The switch takes the sink as it is: it stops recording when it closes, before that.
    this.sink = untilClosed(records, () => this.finished);
    this.recorder.on?.('error', (error: Error) => this.problem(null, `recorder error: ${error.message}`));
    // The record comes first: while the recorder is behind, the nodes wait to be read.
    this.recorder.on?.('pressure', (behind: boolean) => {
      for (const node of this.nodes.values()) node.setInputPaused(behind);
      this.sink.event(this.clock.nowUs(), ENGINE_ENDPOINT_ID, behind ? 'recorder-behind' : 'recorder-caught-up', {});
    });
    const exp = this.experiment;
    const nodeNames = nodeIds(exp.nodes.count);
    const clientNames = clientIds(exp.workload.clients);
    // The services come last, so that nodes and clients keep the addresses they always had;
    // then the sender of membership messages, then the nodes that join, in order.
    const endpointNames = this.endpointNames;
    endpointNames.push(ENGINE_ENDPOINT_ID, ...nodeNames, ...clientNames, ...SERVICE_NAMES, MEMBERSHIP_SENDER);
    endpointNames.forEach((name, address) => this.addresses.set(name, address));

    const { server, port, fallbackFrom } = await listenSwitch(exp.switchPort, this.token, endpointNames, {
      admit: (node) => {
        const n = this.nodes.get(node);
        return n && n.state === 'starting' ? n.address : null;
      },
      connected: (address, socket) => this.onNodeConnected(address, socket),
      frame: (frame, address) => this.sw.route(frame, address),
      oversize: (address, bytes) => this.problem(this.sw.idOf(address), `sent a frame of ${bytes} bytes, over the 1 MiB limit; its connection was closed`),
    });
    this.server = server;
    if (fallbackFrom) this.problem(null, `port ${fallbackFrom} on 127.0.0.1 is already in use; the switch listens on ${port} instead`);

    const dataDir = path.join(path.dirname(path.resolve(this.dbPath)), 'runs', String(this.runId));
    this.dataDir = dataDir;
    this.switchPort = port;
    const endpoints: Endpoint[] = [new EngineEndpoint()];
    for (const name of nodeNames) endpoints.push(this.createNode(name));
    for (const name of clientNames) {
      const client = new ClientEndpoint(
        name,
        this.addresses.get(name)!,
        (body, corrupted, from) => this.workload?.onReply(name, body, corrupted, from),
        (body) => this.workload?.onRequestCorrupted(name, body),
      );
      this.clients.set(name, client);
      endpoints.push(client);
    }
    // Always there, as in Maelstrom: a node may use them without the experiment saying so.
    for (const provided of createServices(exp.seed)) {
      endpoints.push(new ServiceEndpoint(provided, this.addresses.get(provided.name)!, (frame, src) => this.sw.route(frame, src)));
    }
    this.membershipSender = new MembershipEndpoint(this.addresses.get(MEMBERSHIP_SENDER)!);
    endpoints.push(this.membershipSender);
    this.sw = new Switch(endpoints, exp.network.defaults, exp.seed, this.clock, records, (frame, src) => this.onEngineFrame(frame, src));
    this.sw.links.setOverrides(exp.network.links);
    this.overload = new OverloadMonitor(() => this.nodes.values(), {
      nowUs: () => this.clock.nowUs(),
      metric: (tUs, node, name, value) => this.sink.metric(tUs, node, name, value),
      started: (why) => this.notice(null, `overloaded: ${why}; the run records what it could do`),
    });
    // The schedule counts from t = 0 and fires at its times even while nodes still come up.
    this.scheduled.push(playSchedule(this.clock, exp.faults.map((fault) => ({ atMs: fault.atMs, fire: () => this.applyAndRecord(fault.action, 'schedule') }))));
    trackForEmergencyKill(this.nodes.values());
    mkdirSync(dataDir, { recursive: true });
    this.emit('started', { runId: this.runId, switchPort: port });

    // Booting node runtimes is CPU-bound: a few at a time beats all at once on few cores.
    // Every node gets init only once all are launched, so that the protocols start together.
    const gate = new ConcurrencyGate(Math.max(2, 2 * os.availableParallelism()));
    const all = [...this.nodes.values()];
    const launched = await Promise.all(all.map((node) => gate.run(() => this.launch(node))));
    const ups = await Promise.all(all.filter((_, i) => launched[i]).map((node) => this.initialize(node)));
    if (!ups.some(Boolean)) throw new NoNodeUp();
    this.emit('nodesUp', { elapsedMs: this.clock.nowUs() / 1000, up: ups.filter(Boolean).length });
  }

  private async play(): Promise<RunStatus> {
    const exp = this.experiment;
    // One time base for everything: t = 0 when the run started spawning nodes. The
    // schedule counts from there too; the workload starts once the nodes are up.
    this.sink.event(this.clock.nowUs(), ENGINE_ENDPOINT_ID, 'nodes-up', { nodes: exp.nodes.count, seed: exp.seed });
    this.nodesUp = true;
    for (const { action, source } of this.waitingForNodesUp.splice(0)) this.applyAndRecord(action, source);
    this.workload = createWorkload(exp.workload, this.clientPort(), createRng(exp.seed, 'workload'));
    this.workload?.start();
    const progress = setInterval(() => this.emit('progress', this.progress()), PROGRESS_INTERVAL_MS);
    this.timers.push(progress);
    const status = await new Promise<RunStatus>((resolve) => {
      this.stopRequested = resolve;
      if (this.pendingStop) resolve(this.pendingStop);
      this.scheduled.push(atRunTime(this.clock, exp.durationMs, () => resolve('completed')));
    });
    for (const s of this.scheduled) s.cancel();
    await this.drainWorkload(status);
    for (const t of this.timers) clearTimeout(t);
    this.sw.endTraffic();
    // Stopped during the final phase: the run did not end as planned.
    return this.finalPhase?.interrupted ? 'interrupted' : status;
  }

  private async drainWorkload(status: RunStatus): Promise<void> {
    const workload = this.workload;
    if (!workload) return;
    workload.stopIssuing();
    if (status === 'completed') {
      const deadline = Date.now() + Math.min(DRAIN_GRACE_MS, this.experiment.workload.timeoutMs);
      while (workload.outstanding > 0 && Date.now() < deadline) await sleep(5);
    }
    const plan = this.finalPlan();
    if (status === 'completed' && plan) {
      this.phase = 'final';
      this.finalPhase = await runFinalPhase(plan, {
        workload,
        nodes: this.memberNodes(),
        apply: (action) => this.applyAndRecord(action, 'schedule'),
        notice: (text) => this.notice(null, text),
        event: (kind, data) => this.sink.event(this.clock.nowUs(), ENGINE_ENDPOINT_ID, kind, data),
        signal: this.finalAbort.signal,
      });
    }
    workload.abandon();
  }

  /** The final phase of a workload judged on final reads, or null. */
  private finalPlan(): FinalPhasePlan | null {
    const w = this.experiment.workload;
    if (!hasFinalReads(w.kind) || w.finalQuietMs === undefined) return null;
    return { quietMs: w.finalQuietMs, readTimeoutMs: w.timeoutMs };
  }

  /** The run's expected length: its duration, and the final phase at most. */
  private expectedDurationMs(): number {
    const plan = this.finalPlan();
    return this.experiment.durationMs + (plan ? finalPhaseBoundMs(plan) : 0);
  }

  private async finish(status: RunStatus): Promise<RunSummary> {
    this.ending = true;
    const durationMs = Math.max(0, this.clock.nowUs() / 1000);
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.scheduled) s.cancel();
    this.sw?.endTraffic();
    this.overload?.stop();
    for (const limiter of this.badLines.values()) limiter.close();
    await Promise.all([...this.nodes.values()].map((n) => n.shutdown(SHUTDOWN_GRACE_MS)));
    // A long-lived lab runs many runs: forget this one's nodes once they are gone.
    untrack(this.nodes.values());
    this.sw?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    const summary = this.summarize(status, durationMs);
    if (this.recorder) {
      this.recordOverload(summary);
      this.sink.event(this.clock.nowUs(), ENGINE_ENDPOINT_ID, 'run-end', { status });
      this.finished = true;
      try {
        await this.recorder.close();
        // Measurements and checks are computed from the record, once it is complete.
        analyzeRecord(this.db, this.runId, this.experiment, summary, this.membership.everMembers);
      } catch (error) {
        summary.problems.push(`recorder error: ${(error as Error).message}`);
        summary.status = 'failed';
      }
    }
    finishRun(this.db, this.runId, { status: summary.status, endedAtMs: Date.now(), durationMs: summary.durationMs, summary });
    this.db.close();
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
      messages: { ...(this.sw?.counts ?? zeroCounts()) },
      ops,
      latencyMs,
      deliveryLatenessUs: this.sw?.lateness.summary() ?? null,
      checks,
      measurements: null,
      problems: [...this.problems],
      warnings: this.endWarnings(),
      overload: this.overload?.periods.length ? { periods: this.overload.periods, cpuBusyMax: this.overload.cpuBusyMax, loopLagMaxMs: this.overload.loopLagMaxMs } : null,
      ...(this.finalPhase && { finalPhase: this.finalPhase }),
    };
  }

  /** Warnings that only the end of the run can tell. */
  private endWarnings(): string[] {
    const out: string[] = [...this.workloadWarnings];
    const counts = this.sw?.counts;
    const periods = this.overload?.periods ?? [];
    if (counts && counts.inFlightAtEnd > 0 && (periods.length > 0 || counts.inFlightAtEnd > Math.max(100, counts.sent / 100))) {
      out.push(`nodes could not keep up: ${counts.inFlightAtEnd.toLocaleString('en-US')} messages still queued at the end`);
    }
    if (periods.length) {
      const seconds = periods.reduce((sum, p) => sum + (p.endUs - p.startUs), 0) / 1e6;
      const cpu = Math.max(...periods.map((p) => p.cpuBusyMax));
      const lag = Math.max(...periods.map((p) => p.loopLagMaxMs));
      out.push(`overloaded for ${seconds.toFixed(1)} s of the run (machine CPU up to ${Math.round(cpu * 100)}% busy, engine up to ${Math.round(lag)} ms late)`);
    }
    for (const [node, count] of this.clampedTimes) out.push(`${node}: ${count} telemetry time${count === 1 ? '' : 's'} outside the run clamped into it`);
    return out;
  }

  /** Each overload period as one event at its start, with its end and worst values. */
  private recordOverload(summary: RunSummary): void {
    for (const p of summary.overload?.periods ?? []) this.sink.event(p.startUs, ENGINE_ENDPOINT_ID, 'overloaded', { endUs: p.endUs, durationMs: (p.endUs - p.startUs) / 1000, cpuBusyMax: p.cpuBusyMax, loopLagMaxMs: p.loopLagMaxMs, backlogMax: p.backlogMax });
  }

  private progress(): RunProgress {
    const stats = this.workload?.stats;
    return {
      elapsedMs: this.clock.nowUs() / 1000,
      durationMs: this.expectedDurationMs(),
      phase: this.phase,
      messages: { ...this.sw.counts },
      ops: { ok: stats?.ok ?? 0, fail: stats?.fail ?? 0, timeout: stats?.timeout ?? 0 },
      inFlight: this.sw.inFlight,
      nodesUp: [...this.nodes.values()].filter((n) => n.state === 'up').length,
    };
  }

  private applyAndRecord(action: FaultAction, source: 'schedule' | 'live'): void {
    const tUs = this.clock.nowUs();
    if (action.kind === 'join' || action.kind === 'leave') {
      if (!this.nodesUp) {
        this.waitingForNodesUp.push({ action, source });
        return;
      }
      const detail = this.membership.apply(action);
      this.sink.fault(tUs, action.kind, detail, source);
      this.emit('fault', { tUs, action, source });
      return;
    }
    const detail = applyFault(action, {
      sw: this.sw,
      nodes: this.memberNodes(),
      addressOf: (id) => this.addresses.get(id),
      restart: (node) => this.restartNode(node),
      rng: this.faultRng,
      leader: this.leader.current,
    });
    // The links blocked from now on, so that a replay knows the network exactly at any time.
    if (TOPOLOGY_FAULTS.has(action.kind)) detail.blocked = this.blockedLinks();
    this.sink.fault(tUs, action.kind, detail, source);
    this.emit('fault', { tUs, action, source });
  }

  /** The members' processes: faults act on them, not on the nodes that left. */
  private memberNodes(): Map<NodeId, ManagedNode> {
    return new Map(this.membership.members.flatMap((id) => (this.nodes.has(id) ? [[id, this.nodes.get(id)!] as const] : [])));
  }

  private createNode(id: NodeId): ManagedNode {
    const exp = this.experiment;
    const node = new ManagedNode(id, this.addresses.get(id)!, launchSpec(exp, id, this.switchPort, this.token, this.dataDir), this.nodeObserver(), exp.nodes.inboxLimitBytes, nodeNiceness(exp.nodes.count));
    this.nodes.set(id, node);
    return node;
  }

  /** Built-in programs say whether they take membership changes; an external command is trusted to. */
  takesMembership(): boolean {
    const { program, command } = this.experiment.nodes;
    return command !== undefined || (program !== undefined && findProgram(program)?.membership === true);
  }

  /** Why a join or leave cannot happen now (the program, or the membership), or null. */
  membershipRefusal(action: Extract<FaultAction, { kind: 'join' | 'leave' }>): string | null {
    return this.membership.refusal(action);
  }

  private membershipHost(): MembershipHost {
    return {
      programRefusal: () => (this.takesMembership() ? null : `program "${this.experiment.nodes.program}" does not take membership changes (it does not declare membership: true)`),
      addNode: (id) => this.addJoiningNode(id),
      startNode: async (node) => (await this.launch(node)) && (await this.initialize(node)),
      stopNode: (node) => node.shutdown(SHUTDOWN_GRACE_MS),
      tell: (id, body) => {
        const address = this.addresses.get(id);
        if (address !== undefined) this.sw.sendReliable(this.membershipSender.address, address, 'membership', body);
      },
      event: (node, kind, data) => this.sink.event(this.clock.nowUs(), node, kind, data),
      notice: (node, text) => this.notice(node, text),
      problem: (node, text) => this.problem(node, text),
      nowUs: () => this.clock.nowUs(),
      drainMs: this.experiment.nodes.leaveDrainMs ?? DEFAULT_LEAVE_DRAIN_MS,
      ending: () => this.ending,
    };
  }

  /** A node that joins, at the next address: built-in nodes learn its name before it can send. */
  private addJoiningNode(id: NodeId): ManagedNode {
    this.addresses.set(id, this.endpointNames.length);
    this.endpointNames.push(id);
    const node = this.createNode(id);
    this.sw.addEndpoint(node);
    trackForEmergencyKill([node]);
    const endpoints = encodeFrame(FrameKind.welcome, 0, 0, 'welcome', JSON.stringify({ endpoints: this.endpointNames }));
    for (const other of this.nodes.values()) if (other !== node) other.sendEndpoints(endpoints);
    return node;
  }

  private async restartNode(node: ManagedNode): Promise<void> {
    if (node.alive) {
      node.signal('SIGKILL');
      await node.waitForExit();
    }
    if (await this.launch(node)) await this.initialize(node);
  }

  /** Spawns the node; built-in nodes must also connect to the switch. False if it failed. */
  private async launch(node: ManagedNode): Promise<boolean> {
    const connected = this.experiment.nodes.command ? null : this.waitFor(this.connectWaits, node, 'did not connect to the switch');
    const started = await node.start();
    if (!connected) return started;
    if (!started) this.connectWaits.settle(node.address, false);
    return connected;
  }

  /** Sends init and waits for init_ok; false when the node never came up. */
  private initialize(node: ManagedNode): Promise<boolean> {
    const up = this.waitFor(this.initWaits, node, 'did not answer init');
    this.sendInit(node);
    return up;
  }

  /** True when the node answered; false on its exit, a restart, or after the init timeout (it is then killed). */
  private waitFor(waits: NodeWaits, node: ManagedNode, what: string): Promise<boolean> {
    const timeoutMs = this.experiment.nodes.initTimeoutMs;
    return waits.wait(node.address, timeoutMs, () => {
      this.problem(node.id, `${what} within ${timeoutMs} ms; it was killed`);
      node.signal('SIGKILL');
    });
  }

  private sendInit(node: ManagedNode): void {
    const body = { type: 'init', msg_id: 1, node_id: node.id, node_ids: [...this.membership.members] };
    const frame = encodeFrame(FrameKind.message, 0, node.address, 'init', JSON.stringify(body));
    node.sendControl(frame, JSON.stringify({ src: ENGINE_ENDPOINT_ID, dest: node.id, body }));
    // From here on the node's stream carries init first, so peers' messages may follow it:
    // a node whose init_ok is a moment late must not miss what its peers already sent.
    node.reachable = true;
  }

  private onNodeConnected(address: number, socket: net.Socket): void {
    const node = this.nodes.get(this.sw.idOf(address));
    if (!node) {
      socket.destroy();
      return;
    }
    node.attachSocket(socket);
    this.connectWaits.settle(address, true);
  }

  private onInitOk(address: number): void {
    const node = this.nodes.get(this.sw.idOf(address));
    if (!node || !this.initWaits.has(address)) return;
    node.markUp();
    this.sink.event(this.clock.nowUs(), node.id, 'up', { incarnation: node.incarnation });
    this.initWaits.settle(address, true);
  }

  private onEngineFrame(frame: Buffer, src: number): void {
    const kind = frameKind(frame);
    if (kind === FrameKind.telemetry) this.recordTelemetryFrame(this.sw.idOf(src), frameBody(frame));
    else if (kind === FrameKind.message && frameType(frame) === 'init_ok') this.onInitOk(src);
  }

  private recordTelemetryFrame(node: NodeId, text: string): void {
    try {
      this.recordTelemetry(node, JSON.parse(text) as TelemetryRecord[]);
    } catch {
      this.problem(node, 'sent malformed telemetry');
    }
  }

  private recordTelemetry(node: NodeId, records: TelemetryRecord[]): void {
    for (const record of records) {
      if (!isTelemetryRecord(record)) {
        this.protocolError(this.nodes.get(node)!, 'sent a telemetry record that is not [epochMs, metric|event|state, name, value]', JSON.stringify(record) ?? '');
        continue;
      }
      const tUs = this.telemetryTime(node, record[0]);
      if (record[1] === 'metric') this.sink.metric(tUs, node, record[2], record[3]);
      else if (record[1] === 'state') this.sink.event(tUs, node, 'state', { key: record[2], value: record[3] });
      else {
        this.sink.event(tUs, node, record[2], record[3], record[4] ?? null, record[5] ?? null);
        if (record[2] === 'recv') continue;
        this.leader.observe(node, record[2], record[3]);
        this.emit('nodeEvent', { tUs, node, kind: record[2], data: record[3] });
      }
    }
  }

  /** A node's telemetry time in run time, clamped into [0, now]: a wrong clock must not place rows outside the run. */
  private telemetryTime(node: NodeId, epochMs: number): number {
    const tUs = this.clock.fromEpochMs(epochMs);
    const nowUs = this.clock.nowUs();
    if (tUs >= 0 && tUs <= nowUs) return tUs;
    // Within a few ms is the two clocks' own jitter, not a wrong time.
    if (tUs > -TELEMETRY_SLACK_US && tUs < nowUs + TELEMETRY_SLACK_US) return Math.min(Math.max(tUs, 0), nowUs);
    const count = (this.clampedTimes.get(node) ?? 0) + 1;
    this.clampedTimes.set(node, count);
    if (count === 1) {
      const text = `reported telemetry at ${(tUs / 1e6).toFixed(3)} s of run time, outside the run; such times are clamped into it`;
      this.sink.event(nowUs, node, 'telemetry-time-clamped', { epochMs, runTimeUs: tUs });
      this.notice(node, text);
    }
    return Math.min(Math.max(tUs, 0), nowUs);
  }

  /** The stdio bridge: one JSON line from an external node becomes one routed message. */
  private onExternalLine(node: ManagedNode, line: string): void {
    let message: { src?: unknown; dest?: unknown; body?: Body };
    try {
      message = JSON.parse(line);
    } catch {
      this.protocolError(node, 'printed a line that is not JSON on stdout', line);
      return;
    }
    const body = message?.body;
    if (typeof message?.dest !== 'string' || typeof body !== 'object' || body === null || typeof body.type !== 'string') {
      this.protocolError(node, 'printed a message without dest or body.type', line);
      return;
    }
    if (message.dest === ENGINE_ENDPOINT_ID) {
      if (body.type === 'init_ok') this.onInitOk(node.address);
      else if (body.type === 'telemetry' && Array.isArray(body.records)) this.recordTelemetry(node.id, body.records as TelemetryRecord[]);
      return;
    }
    const dest = this.addresses.get(message.dest);
    if (dest === undefined || dest === 0) {
      this.sw.routeUnknown(node.address, message.dest, body.type, JSON.stringify(body));
      return;
    }
    this.sw.route(encodeFrame(FrameKind.message, node.address, dest, body.type, JSON.stringify(body)), node.address);
  }

  /** A line a node should not have printed: the first few are recorded, then a count each second. */
  private protocolError(node: ManagedNode, what: string, line: string): void {
    let limiter = this.badLines.get(node.id);
    if (!limiter) {
      limiter = new LineLimiter((count, seconds) => {
        const text = `${count} more bad line${count === 1 ? '' : 's'} on stdout in the last ${seconds === 1 ? 'second' : `${seconds} s`}, not recorded one by one`;
        this.sink.log(this.clock.nowUs(), node.id, 'engine', text);
        this.sink.event(this.clock.nowUs(), node.id, 'protocol-error', { what: 'bad lines suppressed', count });
      });
      this.badLines.set(node.id, limiter);
    }
    if (!limiter.admit()) return;
    this.sink.log(this.clock.nowUs(), node.id, 'stdout', line.slice(0, 4096));
    this.sink.event(this.clock.nowUs(), node.id, 'protocol-error', { what, line: line.slice(0, 200) });
    this.notice(node.id, `${what}: ${line.slice(0, 80)}`);
  }

  private nodeObserver(): NodeObserver {
    return {
      started: (node, pid, startTime) => {
        const argv = this.experiment.nodes.command ?? [this.experiment.nodes.program!];
        if (!this.finished) this.recorder.nodeStarted(node.id, node.incarnation, pid, startTime, argv, this.clock.nowUs());
        this.sink.event(this.clock.nowUs(), node.id, 'start', { pid, incarnation: node.incarnation });
      },
      exited: (node, code, signal, expected) => {
        const tUs = this.clock.nowUs();
        if (!this.finished) this.recorder.nodeExited(node.id, node.incarnation, tUs, code, signal);
        this.sink.event(tUs, node.id, expected ? 'exit' : 'crash', { code, signal, incarnation: node.incarnation });
        if (!expected) this.notice(node.id, `crashed (${signal ?? `exit code ${code}`})`);
        this.connectWaits.settle(node.address, false);
        this.initWaits.settle(node.address, false);
      },
      spawnFailed: (node, error) => {
        this.problem(node.id, `could not be started: ${error.message}`);
        this.sink.event(this.clock.nowUs(), node.id, 'spawn-failed', { error: error.message });
        this.connectWaits.settle(node.address, false);
        this.initWaits.settle(node.address, false);
      },
      stderrLine: (node, line) => this.sink.log(this.clock.nowUs(), node.id, 'stderr', line),
      stdoutLine: (node, line) => {
        if (this.experiment.nodes.command) this.onExternalLine(node, line);
        else this.sink.log(this.clock.nowUs(), node.id, 'stdout', line);
      },
      inboxFull: (node, limitBytes) => {
        const text = `is not reading its input: ${formatBytes(limitBytes)} of messages are waiting for it, so further messages to it overflow`;
        this.sink.event(this.clock.nowUs(), node.id, 'inbox-full', { limitBytes, backlog: node.backlog });
        this.notice(node.id, text);
      },
      inboxDrained: (node, dropped) => {
        this.sink.event(this.clock.nowUs(), node.id, 'inbox-drained', { dropped });
      },
      oversizedLine: (node, bytes) => {
        this.sink.event(this.clock.nowUs(), node.id, 'protocol-error', { what: 'line over 1 MiB', bytes });
        this.notice(node.id, `printed a line over 1 MiB (${bytes} bytes so far); it was dropped`);
      },
    };
  }

  private clientPort() {
    // The members that are up: clients follow joins and leaves.
    const membership = this.membership;
    return {
      clients: [...this.clients.keys()],
      get nodes() {
        return membership.membersUp;
      },
      nowUs: () => this.clock.nowUs(),
      send: (client: string, node: string, body: Body) => {
        const src = this.addresses.get(client)!;
        this.sw.route(encodeFrame(FrameKind.message, src, this.addresses.get(node)!, body.type, JSON.stringify(body)), src);
      },
      recordOperation: this.sink.operation.bind(this.sink),
      warn: (text: string) => {
        this.workloadWarnings.push(text);
        this.sink.event(this.clock.nowUs(), ENGINE_ENDPOINT_ID, 'workload-warning', { text });
        this.notice(null, text);
      },
    };
  }

  private problem(node: NodeId | null, text: string): void {
    this.problems.push(node ? `${node}: ${text}` : text);
    this.sink?.event(this.clock.nowUs(), node ?? ENGINE_ENDPOINT_ID, 'problem', { text });
    this.notice(node, text);
  }

  private notice(node: NodeId | null, text: string): void {
    this.emit('notice', { tUs: this.clock.nowUs(), node, text });
  }
}

function isTelemetryRecord(record: unknown): record is TelemetryRecord {
  if (!Array.isArray(record) || typeof record[0] !== 'number' || !Number.isFinite(record[0]) || typeof record[2] !== 'string') return false;
  if (record[1] === 'metric') return typeof record[3] === 'number' && Number.isFinite(record[3]);
  return record[1] === 'event' || record[1] === 'state';
}

class NoNodeUp extends Error {
  constructor() {
    super('no node came up, so the run could not go on');
  }
}

const TELEMETRY_SLACK_US = 50_000;

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
