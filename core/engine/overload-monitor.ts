// Watches, once a second, whether the machine and the nodes keep up with the run: the
// machine's CPU use, how late the engine's own event loop runs, and the backlog of messages
// the engine holds for each node. It records them as metrics and reports overload periods,
// so that a run on an overloaded machine says so instead of silently recording less.
import os from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface BacklogSource {
  readonly id: string;
  readonly backlog: { messages: number; bytes: number };
}

export interface OverloadPeriod {
  startUs: number;
  endUs: number;
  /** Highest machine CPU use seen in the period, 0…1. */
  cpuBusyMax: number;
  /** Worst lateness of the engine's event loop in the period, ms. */
  loopLagMaxMs: number;
  /** Largest backlog one node had in the period, and which node. */
  backlogMax: { node: string; messages: number } | null;
}

export interface OverloadHooks {
  nowUs(): number;
  metric(tUs: number, node: string, name: string, value: number): void;
  /** A period began, for the reasons given. */
  started(why: string): void;
}

const SAMPLE_MS = 1000;
/** Machine CPU use at or above this counts as saturated. */
export const CPU_SATURATED = 0.95;
/** The engine's event loop running this late (p99 over a second) counts as overloaded. */
export const LOOP_LAG_OVERLOADED_MS = 100;
/** A node's backlog above this many messages, and growing, counts as not keeping up. */
export const BACKLOG_OVERLOADED = 1000;
/** Consecutive samples needed to start and to end a period, so that one blip is not a period. */
const CONFIRM_SAMPLES = 2;

export class OverloadMonitor {
  private readonly timer: NodeJS.Timeout;
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private lastCpu = cpuTimes();
  private readonly lastBacklog = new Map<string, number>();
  private streak = 0;
  private current: OverloadPeriod | null = null;
  readonly periods: OverloadPeriod[] = [];
  /** The worst values over the whole run, for the summary. */
  cpuBusyMax = 0;
  loopLagMaxMs = 0;

  constructor(
    private readonly sources: () => Iterable<BacklogSource>,
    private readonly hooks: OverloadHooks,
  ) {
    this.loopDelay.enable();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  /** Stops sampling and closes an open period at the current time. */
  stop(): void {
    clearInterval(this.timer);
    this.loopDelay.disable();
    if (this.current) this.endPeriod(this.hooks.nowUs());
  }

  private sample(): void {
    const tUs = this.hooks.nowUs();
    const cpu = cpuTimes();
    const total = cpu.total - this.lastCpu.total;
    const cpuBusy = total > 0 ? Math.min(1, Math.max(0, 1 - (cpu.idle - this.lastCpu.idle) / total)) : 0;
    this.lastCpu = cpu;
    const loopLagMs = this.loopDelay.count ? Math.max(0, this.loopDelay.percentile(99) / 1e6 - 10) : 0;
    this.loopDelay.reset();

    const backlogs: Array<{ node: string; messages: number }> = [];
    let growing: { node: string; messages: number } | null = null;
    for (const source of this.sources()) {
      const { messages, bytes } = source.backlog;
      const before = this.lastBacklog.get(source.id) ?? 0;
      // Record a node's backlog while it has one, and once more when it is gone.
      if (messages > 0 || before > 0) {
        this.hooks.metric(tUs, source.id, 'backlog_msgs', messages);
        this.hooks.metric(tUs, source.id, 'backlog_bytes', bytes);
      }
      this.lastBacklog.set(source.id, messages);
      if (messages > 0) backlogs.push({ node: source.id, messages });
      if (messages > BACKLOG_OVERLOADED && messages > before && (!growing || messages > growing.messages)) growing = { node: source.id, messages };
    }
    this.hooks.metric(tUs, 'c0', 'cpu_busy', round3(cpuBusy));
    this.hooks.metric(tUs, 'c0', 'engine_loop_lag_ms', round3(loopLagMs));
    this.cpuBusyMax = Math.max(this.cpuBusyMax, cpuBusy);
    this.loopLagMaxMs = Math.max(this.loopLagMaxMs, loopLagMs);

    const reasons: string[] = [];
    if (cpuBusy >= CPU_SATURATED) reasons.push(`the machine's CPU was ${Math.round(cpuBusy * 100)}% busy`);
    if (loopLagMs >= LOOP_LAG_OVERLOADED_MS) reasons.push(`the engine ran ${Math.round(loopLagMs)} ms late`);
    if (growing) reasons.push(`${growing.node} had ${growing.messages} messages waiting and falling behind`);
    const overloaded = reasons.length > 0;
    if (overloaded === (this.current !== null)) {
      this.streak = 0;
    } else if (++this.streak >= CONFIRM_SAMPLES) {
      this.streak = 0;
      if (overloaded) {
        this.current = { startUs: tUs - (CONFIRM_SAMPLES - 1) * SAMPLE_MS * 1000, endUs: tUs, cpuBusyMax: 0, loopLagMaxMs: 0, backlogMax: null };
        this.hooks.started(reasons.join(', '));
      } else {
        this.endPeriod(tUs - (CONFIRM_SAMPLES - 1) * SAMPLE_MS * 1000);
      }
    }
    const period = this.current;
    if (period) {
      period.cpuBusyMax = Math.max(period.cpuBusyMax, round3(cpuBusy));
      period.loopLagMaxMs = Math.max(period.loopLagMaxMs, round3(loopLagMs));
      for (const b of backlogs) if (!period.backlogMax || b.messages > period.backlogMax.messages) period.backlogMax = { node: b.node, messages: b.messages };
    }
  }

  private endPeriod(endUs: number): void {
    const period = this.current!;
    this.current = null;
    period.endUs = Math.max(period.startUs, endUs);
    this.periods.push(period);
  }
}

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
