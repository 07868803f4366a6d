// A node of the simulation: hosts one protocol state machine, as NodeRuntime does in a node
// process, but on virtual time. Its timers are scheduler events, its sends go to the
// simulated network, and its telemetry is recorded at once, at the virtual time it happened.
import type { ClockSpec, NodeId } from '../experiment/types.js';
import type { Body, Input, Output, Params, Program } from '../sdk/protocol.js';
import { withDefaults } from '../sdk/protocol.js';
import { isBody, notABodyLine } from '../sdk/body-fields.js';
import { LogicalClocks } from '../sdk/logical-clocks.js';
import { nodeClock } from '../sdk/node-clock.js';
import type { NodeState } from '../engine/node-process.js';
import type { FaultableNode } from '../engine/fault-injector.js';
import type { RecordSink } from '../engine/run-tap.js';
import type { PendingEvent, Scheduler } from './scheduler.js';
import type { SimEndpoint } from './sim-network.js';

/** A fixed epoch for virtual time, so that protocols see `now` values like real ones. */
export const SIM_EPOCH_MS = 1_700_000_000_000;

/** A protocol threw: the step that did it, for the run's problem. */
export class ProtocolStepError extends Error {
  constructor(
    readonly node: NodeId,
    readonly tUs: number,
    readonly input: string,
    override readonly cause: unknown,
  ) {
    super(`${node} threw at ${(tUs / 1e6).toFixed(6)} s of virtual time on ${input}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }

  /** The step and the exception, without the node's name. */
  get step(): string {
    return `threw at ${(this.tUs / 1e6).toFixed(6)} s of virtual time, on ${this.input}: ${this.cause instanceof Error ? this.cause.message : String(this.cause)}`;
  }
}

export interface SimNodeHost {
  scheduler: Scheduler;
  sink: RecordSink;
  /** Serializes the body before it returns, so the body may hold live objects. */
  send(from: NodeId, to: NodeId, body: Body): void;
  /**
   * Whether the sink keeps the objects it is given (a live tap) rather than serializing them
   * at once (the recorder): only then do events need their own copy of the vector clock.
   */
  sinkRetains: boolean;
  /** A node's `event` output, for the leader tracker and live views. */
  nodeEvent(node: NodeId, kind: string, data: unknown): void;
  exited(node: SimNode, code: number | null, signal: string | null): void;
}

type StepInput = Exclude<Input, { kind: 'start' }>;

export class SimNode implements SimEndpoint, FaultableNode {
  state: NodeState = 'starting';
  incarnation = 0;
  private machineState: unknown;
  private clocks: LogicalClocks | null = null;
  private readonly timers = new Map<string, PendingEvent>();
  /** What reached the node while it was paused: handled in order once it resumes. */
  private held: StepInput[] = [];
  private now: () => number = () => 0;

  constructor(
    readonly id: NodeId,
    readonly address: number,
    private readonly program: Program,
    private readonly params: Params,
    private readonly seed: number,
    private readonly clock: ClockSpec,
    private readonly peers: NodeId[],
    private readonly host: SimNodeHost,
  ) {}

  /** The protocol's state S as the protocol keeps it (live objects: Maps, Sets). */
  get protocolState(): unknown {
    return this.machineState;
  }

  /** The node's timers still to fire, by name. */
  pendingTimers(): Array<{ name: string; dueUs: number }> {
    return [...this.timers].map(([name, event]) => ({ name, dueUs: event.atUs }));
  }

  /** The scheduler's event that fires one of the node's timers, or undefined when none of that name is set. */
  timerEvent(name: string): PendingEvent | undefined {
    return this.timers.get(name);
  }

  get reachable(): boolean {
    return this.state === 'up' || this.state === 'paused';
  }

  /** Starts a fresh incarnation: new process, new clock, init. */
  boot(): void {
    const { scheduler, sink } = this.host;
    this.incarnation++;
    this.state = 'starting';
    this.held = [];
    // A new process reads its clock afresh: skew from its start, drift from then on.
    this.now = nodeClock({ skewMs: this.clock.skewMs, driftPpm: this.clock.driftPpm }, () => SIM_EPOCH_MS + scheduler.nowUs / 1000);
    sink.event(scheduler.nowUs, this.id, 'start', { pid: null, incarnation: this.incarnation });
    this.clocks = this.program.logicalClocks !== false ? new LogicalClocks(this.id) : null;
    this.state = 'up';
    sink.event(scheduler.nowUs, this.id, 'up', { incarnation: this.incarnation });
    let outputs: Output[];
    try {
      const [state, out] = this.program.protocol.init({ kind: 'start', self: this.id, peers: this.peers, params: withDefaults(this.program, this.params), now: this.now(), seed: this.seed, restarted: this.incarnation > 1 });
      this.machineState = state;
      outputs = out;
    } catch (error) {
      throw new ProtocolStepError(this.id, scheduler.nowUs, 'start', error);
    }
    this.apply(outputs);
  }

  receive(from: NodeId, text: string): void {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    // As a node process does with a message it cannot parse, or that is not an object with a
    // string type (a corrupted "type" key): a line on stderr, and the protocol never sees it.
    if (!isBody(body)) {
      this.host.sink.log(this.host.scheduler.nowUs, this.id, 'stderr', notABodyLine(from, text));
      return;
    }
    this.handle({ kind: 'message', from, body, now: 0 });
  }

  signal(signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): boolean {
    if (!this.reachable) return false;
    if (signal === 'SIGSTOP') this.state = 'paused';
    else if (signal === 'SIGCONT') this.resume();
    // A node process ends on SIGTERM with exit code 0, on SIGKILL by the signal.
    else this.exit(signal === 'SIGTERM' ? 0 : null, signal === 'SIGTERM' ? null : signal);
    return true;
  }

  /** The end of the run: the node is stopped as a real run stops its processes. */
  shutdown(): void {
    if (this.reachable) this.exit(0, null);
  }

  private exit(code: number | null, signal: string | null): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    this.held = [];
    this.state = 'exited';
    this.host.exited(this, code, signal);
  }

  private resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'up';
    const held = this.held;
    this.held = [];
    for (const input of held) if (this.state === 'up') this.handle(input);
  }

  private fire(name: string): void {
    this.timers.delete(name);
    this.handle({ kind: 'timer', name, now: 0 });
  }

  private handle(input: StepInput): void {
    if (this.state === 'paused') {
      this.held.push(input);
      return;
    }
    if (this.state !== 'up') return;
    const { scheduler, sink } = this.host;
    const clocks = this.clocks;
    if (input.kind === 'message' && clocks) {
      clocks.receive(input.body.lamport, input.body.vc);
      sink.event(scheduler.nowUs, this.id, 'recv', { from: input.from, type: input.body.type, sentLamport: input.body.lamport ?? null }, clocks.lamport, this.vectorClock());
    }
    input.now = this.now();
    let outputs: Output[];
    try {
      const [state, out] = this.program.protocol.step(this.machineState, input);
      this.machineState = state;
      outputs = out;
    } catch (error) {
      const described = input.kind === 'message' ? `message ${input.body.type} from ${input.from}` : `timer ${input.name}`;
      throw new ProtocolStepError(this.id, scheduler.nowUs, described, error);
    }
    this.apply(outputs);
  }

  private apply(outputs: Output[]): void {
    const { scheduler, sink } = this.host;
    const tUs = scheduler.nowUs;
    for (const output of outputs) {
      switch (output.kind) {
        case 'send':
          this.send(output.to, output.body);
          break;
        case 'setTimer': {
          this.timers.get(output.name)?.cancel();
          const name = output.name;
          this.timers.set(name, scheduler.after(output.afterMs, () => this.fire(name), { kind: 'timer', node: this.id, name }));
          break;
        }
        case 'cancelTimer':
          this.timers.get(output.name)?.cancel();
          this.timers.delete(output.name);
          break;
        case 'metric':
          sink.metric(tUs, this.id, output.name, output.value);
          break;
        case 'event':
          this.clocks?.tick();
          sink.event(tUs, this.id, output.type, output.data ?? null, this.clocks?.lamport ?? null, this.vectorClock());
          this.host.nodeEvent(this.id, output.type, output.data ?? null);
          break;
        case 'state':
          sink.event(tUs, this.id, 'state', { key: output.key, value: output.value });
          break;
        case 'log':
          sink.log(tUs, this.id, 'stderr', output.text.replace(/\n$/, ''));
          break;
      }
    }
  }

  /**
   * Every send ticks the clocks and carries them, as extra body fields, as NodeRuntime does.
   * The vector goes uncopied: the network serializes the body before the clock moves on, and
   * copying a 50-entry vector per message was the simulation's largest cost.
   */
  private send(to: NodeId, body: Body): void {
    const clocks = this.clocks;
    if (!clocks) return this.host.send(this.id, to, body);
    clocks.tick();
    this.host.send(this.id, to, { ...body, lamport: clocks.lamport, vc: clocks.vector });
  }

  /** The vector clock for an event row: a copy only for a sink that keeps it. */
  private vectorClock(): Record<string, number> | null {
    const clocks = this.clocks;
    if (!clocks) return null;
    return this.host.sinkRetains ? clocks.snapshot() : clocks.vector;
  }
}
