// Hosts a protocol state machine inside a node process: turns its outputs into real
// sends, timers and telemetry, and feeds it messages, timer ticks and the time.
import type { Body, Output, Params, Program } from './protocol.js';
import { withDefaults } from './protocol.js';
import { LogicalClocks, type VectorClock } from './logical-clocks.js';
import { epochNowMs } from './epoch.js';

export interface NodeTransport {
  send(to: string, body: Body): void;
  /** False while the outgoing socket is full: timers wait, as a blocked process would. */
  writable(): boolean;
  onceWritable(resume: () => void): void;
  telemetry(records: TelemetryRecord[]): void;
}

/**
 * Telemetry stamped with wall-clock epoch ms (not the node's skewed clock), so that the
 * engine can place it on the run's time line.
 */
export type TelemetryRecord =
  | [number, 'metric', string, number]
  | [number, 'event', string, unknown, number?, VectorClock?]
  | [number, 'state', string, unknown];

export interface RuntimeOptions {
  params: Params;
  seed: number;
  /** This process is a restart of the node (StartInput.restarted). */
  restarted?: boolean;
  /** The node's own clock, what the protocol sees as `now`. */
  now?: () => number;
}

const TELEMETRY_FLUSH_MS = 100;
const TELEMETRY_MAX_BATCH = 2000;

export class NodeRuntime {
  private state: unknown;
  private started = false;
  private clocks: LogicalClocks | null = null;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private telemetryBuffer: TelemetryRecord[] = [];
  private telemetryTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(
    private readonly program: Program,
    private readonly transport: NodeTransport,
    private readonly options: RuntimeOptions,
  ) {
    this.now = options.now ?? epochNowMs;
  }

  start(self: string, peers: string[]): void {
    if (this.program.logicalClocks !== false) this.clocks = new LogicalClocks(self);
    const [state, outputs] = this.program.protocol.init({
      kind: 'start',
      self,
      peers,
      params: withDefaults(this.program, this.options.params),
      now: this.now(),
      seed: this.options.seed,
      restarted: this.options.restarted ?? false,
    });
    this.state = state;
    this.started = true;
    this.apply(outputs);
  }

  deliver(from: string, body: Body): void {
    if (!this.started) return;
    const clocks = this.clocks;
    if (clocks) {
      clocks.receive(body.lamport, body.vc);
      this.record([epochNowMs(), 'event', 'recv', { from, type: body.type, sentLamport: body.lamport ?? null }, clocks.lamport, clocks.snapshot()]);
    }
    const [state, outputs] = this.program.protocol.step(this.state, { kind: 'message', from, body, now: this.now() });
    this.state = state;
    this.apply(outputs);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.started = false;
    this.flushTelemetry();
  }

  private fire(name: string): void {
    this.timers.delete(name);
    if (!this.started) return;
    if (!this.transport.writable()) {
      this.transport.onceWritable(() => this.fire(name));
      return;
    }
    const [state, outputs] = this.program.protocol.step(this.state, { kind: 'timer', name, now: this.now() });
    this.state = state;
    this.apply(outputs);
  }

  private apply(outputs: Output[]): void {
    for (const output of outputs) {
      switch (output.kind) {
        case 'send':
          this.send(output.to, output.body);
          break;
        case 'setTimer': {
          const previous = this.timers.get(output.name);
          if (previous) clearTimeout(previous);
          this.timers.set(output.name, setTimeout(() => this.fire(output.name), Math.max(0, output.afterMs)));
          break;
        }
        case 'cancelTimer': {
          const timer = this.timers.get(output.name);
          if (timer) clearTimeout(timer);
          this.timers.delete(output.name);
          break;
        }
        case 'metric':
          this.record([epochNowMs(), 'metric', output.name, output.value]);
          break;
        case 'event':
          this.clocks?.tick();
          this.record([epochNowMs(), 'event', output.type, output.data ?? null, this.clocks?.lamport, this.clocks?.snapshot()]);
          break;
        case 'state':
          this.record([epochNowMs(), 'state', output.key, output.value]);
          break;
        case 'log':
          process.stderr.write(output.text.endsWith('\n') ? output.text : output.text + '\n');
          break;
      }
    }
  }

  /** Every send ticks the clocks and carries them, as extra body fields. */
  private send(to: string, body: Body): void {
    const clocks = this.clocks;
    if (!clocks) {
      this.transport.send(to, body);
      return;
    }
    clocks.tick();
    this.transport.send(to, { ...body, lamport: clocks.lamport, vc: clocks.snapshot() });
  }

  // Telemetry is batched so that it never dominates the traffic.
  private record(entry: TelemetryRecord): void {
    this.telemetryBuffer.push(entry);
    if (this.telemetryBuffer.length >= TELEMETRY_MAX_BATCH) this.flushTelemetry();
    else if (!this.telemetryTimer) this.telemetryTimer = setTimeout(() => this.flushTelemetry(), TELEMETRY_FLUSH_MS);
  }

  private flushTelemetry(): void {
    if (this.telemetryTimer) clearTimeout(this.telemetryTimer);
    this.telemetryTimer = null;
    if (this.telemetryBuffer.length === 0) return;
    const batch = this.telemetryBuffer;
    this.telemetryBuffer = [];
    this.transport.telemetry(batch);
  }
}
