// Hosts a protocol state machine inside a node process: turns its outputs into real
// sends, timers and telemetry, and feeds it messages, timer ticks and the time.
import type { Body, Output, Params, Program } from './protocol.js';
import { withDefaults } from './protocol.js';

export interface NodeTransport {
  send(to: string, body: Body): void;
  /** False while the outgoing socket is full: timers wait, as a blocked process would. */
  writable(): boolean;
  onceWritable(resume: () => void): void;
  telemetry(records: TelemetryRecord[]): void;
}

/** [epoch ms, 'metric', name, value] or [epoch ms, 'event', type, data]. */
export type TelemetryRecord = [number, 'metric', string, number] | [number, 'event', string, unknown];

const TELEMETRY_FLUSH_MS = 100;
const TELEMETRY_MAX_BATCH = 2000;

export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class NodeRuntime {
  private state: unknown;
  private started = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private telemetryBuffer: TelemetryRecord[] = [];
  private telemetryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly program: Program,
    private readonly transport: NodeTransport,
    private readonly params: Params,
    private readonly now: () => number = epochNowMs,
  ) {}

  start(self: string, peers: string[]): void {
    const [state, outputs] = this.program.protocol.init({
      kind: 'start',
      self,
      peers,
      params: withDefaults(this.program, this.params),
      now: this.now(),
    });
    this.state = state;
    this.started = true;
    this.apply(outputs);
  }

  deliver(from: string, body: Body): void {
    if (!this.started) return;
    const [state, outputs] = this.program.protocol.step(this.state, { kind: 'message', from, body, now: this.now() });
    this.state = state;
    this.apply(outputs);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.flushTelemetry();
  }

  private fire(name: string): void {
    this.timers.delete(name);
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
          this.transport.send(output.to, output.body);
          break;
        case 'setTimer': {
          const previous = this.timers.get(output.name);
          if (previous) clearTimeout(previous);
          this.timers.set(output.name, setTimeout(() => this.fire(output.name), output.afterMs));
          break;
        }
        case 'cancelTimer': {
          const timer = this.timers.get(output.name);
          if (timer) clearTimeout(timer);
          this.timers.delete(output.name);
          break;
        }
        case 'metric':
          this.record([this.now(), 'metric', output.name, output.value]);
          break;
        case 'event':
          this.record([this.now(), 'event', output.type, output.data ?? null]);
          break;
        case 'log':
          process.stderr.write(output.text.endsWith('\n') ? output.text : output.text + '\n');
          break;
      }
    }
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
