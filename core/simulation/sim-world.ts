// How a simulation is assembled, in one place for a whole run (SimRun) and for stepping: the
// engine's address, the nodes, the clients, the services and the network between them, the
// scheduled faults and the workload. The order of every step here is the order of the
// record's rows and of the scheduler's sequence numbers, so it must not change lightly: the
// same file and seed record byte-identical rows.
import type { Experiment, FaultAction, NodeId } from '../experiment/types.js';
import { clientIds, nodeIds } from '../experiment/types.js';
import { ENGINE_ENDPOINT_ID } from '../sdk/wire.js';
import type { Body, Program } from '../sdk/protocol.js';
import type { Recorder } from '../store/recorder.js';
import { createRng, type Rng } from '../engine/prng.js';
import { applyFault, TOPOLOGY_FAULTS } from '../engine/fault-injector.js';
import { LeaderTracker } from '../engine/leader-tracker.js';
import type { RecordSink } from '../engine/run-tap.js';
import { createServices } from '../services/registry.js';
import { createWorkload } from '../workloads/create.js';
import type { ClientPort, Workload } from '../workloads/workload.js';
import { Scheduler } from './scheduler.js';
import { SimNetwork, type SimEndpoint } from './sim-network.js';
import { SimNode } from './sim-node.js';
import { SimClient, SimEngineEndpoint, SimService } from './sim-endpoints.js';
import { describeFault } from './describe-fault.js';

export interface SimWorldHooks {
  /** The record's table of node incarnations (the recorder's). */
  lifecycle: Pick<Recorder, 'nodeStarted' | 'nodeExited'>;
  /** True once the record is closed: exits after it (the end of the run) are not recorded as node rows. */
  recordClosed(): boolean;
  /** Whether the sink keeps the objects it is given (a live tap), so events need their own copies. */
  sinkRetains: boolean;
  notice(node: NodeId | null, text: string): void;
  /** A fault was applied (and recorded). */
  faulted?(tUs: number, action: FaultAction, source: 'schedule' | 'live'): void;
}

export class SimWorld {
  readonly scheduler = new Scheduler();
  readonly network: SimNetwork;
  readonly nodes = new Map<NodeId, SimNode>();
  readonly services: SimService[] = [];
  readonly leader = new LeaderTracker();
  readonly workloadWarnings: string[] = [];
  workload: Workload | null = null;
  private readonly faultRng: Rng;

  /** Builds every party and schedules the file's faults; nothing has run yet. */
  constructor(
    readonly experiment: Experiment,
    program: Program,
    readonly sink: RecordSink,
    private readonly hooks: SimWorldHooks,
  ) {
    const exp = experiment;
    this.faultRng = createRng(exp.seed, 'faults');
    const nodeNames = nodeIds(exp.nodes.count);
    const send = (from: NodeId, to: NodeId, body: Body) => this.network.send(from, to, body.type, JSON.stringify(body));
    // The same addresses as a real run: the engine, the nodes, the clients, then the services.
    const endpoints: SimEndpoint[] = [new SimEngineEndpoint(ENGINE_ENDPOINT_ID)];
    const host = {
      scheduler: this.scheduler,
      sink,
      send,
      sinkRetains: hooks.sinkRetains,
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
    this.network = new SimNetwork(endpoints, exp.network.defaults, exp.seed, this.scheduler, sink);
    this.network.links.setOverrides(exp.network.links);
    // Faults at one time fire in the file's order: the scheduler keeps the order of scheduling.
    for (const fault of exp.faults) this.scheduler.at(fault.atMs * 1000, () => this.applyFault(fault.action, 'schedule'), { kind: 'other', label: `fault: ${describeFault(fault.action)}` });
  }

  /** Boots every node, in id order. */
  startNodes(): void {
    for (const node of this.nodes.values()) this.startNode(node);
  }

  /** The nodes are up: the clients begin. */
  startWorkload(): void {
    const exp = this.experiment;
    this.sink.event(this.scheduler.nowUs, ENGINE_ENDPOINT_ID, 'nodes-up', { nodes: exp.nodes.count, seed: exp.seed });
    this.workload = createWorkload(exp.workload, this.clientPort(), createRng(exp.seed, 'workload'));
    this.workload?.start();
  }

  /** Applies a fault now and records it with the links it leaves blocked. */
  applyFault(action: FaultAction, source: 'schedule' | 'live'): void {
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
    if (TOPOLOGY_FAULTS.has(action.kind)) detail.blocked = this.blockedLinks();
    this.sink.fault(tUs, action.kind, detail, source);
    this.hooks.faulted?.(tUs, action, source);
  }

  /** Directed links blocked now, by id. */
  blockedLinks(): Array<[NodeId, NodeId]> {
    return this.network.topology.blockedPairs().map(([a, b]) => [this.network.idOf(a), this.network.idOf(b)]);
  }

  /** The traffic ends: what is in flight is recorded so, and services stop their periodic work. */
  endTraffic(): void {
    this.network.endTraffic();
    for (const service of this.services) service.endTraffic();
  }

  /** Stops every node that is still running, as a real run stops its processes. */
  shutdownNodes(): void {
    for (const node of this.nodes.values()) node.shutdown();
  }

  private startNode(node: SimNode): void {
    // The incarnation boot() is about to start, as a real run records the process before its init.
    this.hooks.lifecycle.nodeStarted(node.id, node.incarnation + 1, null, null, [this.experiment.nodes.program!], this.scheduler.nowUs);
    node.boot();
  }

  private onExit(node: SimNode, code: number | null, signal: string | null): void {
    const tUs = this.scheduler.nowUs;
    if (!this.hooks.recordClosed()) this.hooks.lifecycle.nodeExited(node.id, node.incarnation, tUs, code, signal);
    this.sink.event(tUs, node.id, 'exit', { code, signal, incarnation: node.incarnation });
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
        this.hooks.notice(null, text);
      },
      timers: this.scheduler.labelled('workload'),
    };
  }
}
