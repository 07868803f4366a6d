// Turns the rows a live run records into RunData increments, about 20 a second, for the
// live view. It sits beside the recorder on the switch's hot path, so message() does O(1)
// work and keeps only what the increment will carry: counters per traffic bucket and a
// fixed-size reservoir sample of messages.
//
// Increments hold only what is new since the previous one. A traffic bucket can appear in
// several increments (a message is counted when its fate is known, which for a delayed
// delivery comes after its send bucket was first emitted): its counts add up.
import type { RecordSink } from '../engine/run-tap.js';
import { ENGINE_ENDPOINT_ID } from '../sdk/wire.js';
import type { MessageFate, FaultSource, LogStream, OperationOutcome } from '../store/schema.js';
import { failureReason } from './failure-reason.js';
import type { FaultPoint, LogPoint, MessagePoint, MetricPoint, NodeEventPoint, NodeState, OperationPoint, RunData, TrafficBucket } from './contract.js';

export const LIVE_INTERVAL_MS = 50;
export const TRAFFIC_BUCKET_MS = 100;
// 2,000 messages a second at most: more than the space-time diagram draws while it follows.
export const MESSAGE_SAMPLE_SIZE = 100;
export const LOG_LINES_PER_INCREMENT = 200;
/** A metric series (node, name) keeps at most one sample per this many µs. */
export const METRIC_SPACING_US = 50_000;

const BUCKET_US = TRAFFIC_BUCKET_MS * 1000;
const LAMPORT_KEY = '"lamport":';
const DIGITS = /\d+/y;

/** What the aggregator asks of the run it watches, at each increment. */
export interface LiveSource {
  runId(): number;
  nowUs(): number;
  nodeStates(): Record<string, NodeState>;
  blockedLinks(): Array<[string, string]>;
}

export interface LiveAggregatorOptions {
  intervalMs?: number;
  /** Uniform in [0, 1): the reservoir sampler's coin. Tests pass a seeded one. */
  random?: () => number;
}

export class LiveAggregator implements RecordSink {
  private readonly intervalMs: number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  /** Traffic per bucket index since the last increment: [sent, delivered, lost]. */
  private traffic = new Map<number, Float64Array>();
  private lastBucket = -1;
  private lastCounts: Float64Array | null = null;

  // The message reservoir, as parallel columns so that sampling allocates nothing.
  private seen = 0;
  private readonly sampleId = new Float64Array(MESSAGE_SAMPLE_SIZE);
  private readonly sampleSend = new Float64Array(MESSAGE_SAMPLE_SIZE);
  private readonly sampleDeliver = new Float64Array(MESSAGE_SAMPLE_SIZE);
  private readonly sampleSrc: string[] = new Array(MESSAGE_SAMPLE_SIZE).fill('');
  private readonly sampleDest: string[] = new Array(MESSAGE_SAMPLE_SIZE).fill('');
  private readonly sampleType: string[] = new Array(MESSAGE_SAMPLE_SIZE).fill('');
  private readonly sampleFate: string[] = new Array(MESSAGE_SAMPLE_SIZE).fill('');
  private readonly sampleDupOf = new Float64Array(MESSAGE_SAMPLE_SIZE);
  private readonly sampleBody: string[] = new Array(MESSAGE_SAMPLE_SIZE).fill('');

  private operations: OperationPoint[] = [];
  private events: NodeEventPoint[] = [];
  private metrics: MetricPoint[] = [];
  private readonly metricLastUs = new Map<string, Map<string, number>>();
  private faults: FaultPoint[] = [];
  private logs: LogPoint[] = [];
  private logsDropped = 0;
  private logsDroppedUntilUs = 0;

  constructor(
    private readonly source: LiveSource,
    private readonly emit: (data: RunData) => void,
    options: LiveAggregatorOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? LIVE_INTERVAL_MS;
    this.random = options.random ?? Math.random;
  }

  /** Starts emitting an increment every interval. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.emit(this.take()), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and emits the last increment: what came in since the previous one. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.emit(this.take());
  }

  // ------------------------------------------------------------ the sink (hot path first)

  message(id: number, src: string, dest: string, type: string, body: string, _bytes: number, tSendUs: number, tDeliverUs: number | null, fate: MessageFate, dupOf: number | null, _corrupted: boolean): void {
    const bucket = Math.floor(tSendUs / BUCKET_US);
    const counts = bucket === this.lastBucket ? this.lastCounts! : this.countsFor(bucket);
    if (dupOf === null) counts[0]++;
    if (fate === 'delivered' || fate === 'corrupted') counts[1]++;
    else counts[2]++;

    // Reservoir sampling (Algorithm R): every message of the interval is equally likely kept.
    const n = ++this.seen;
    let slot = n - 1;
    if (n > MESSAGE_SAMPLE_SIZE) {
      slot = Math.floor(this.random() * n);
      if (slot >= MESSAGE_SAMPLE_SIZE) return;
    }
    this.sampleId[slot] = id;
    this.sampleSend[slot] = tSendUs;
    this.sampleDeliver[slot] = tDeliverUs ?? NaN;
    this.sampleSrc[slot] = src;
    this.sampleDest[slot] = dest;
    this.sampleType[slot] = type;
    this.sampleFate[slot] = fate;
    this.sampleDupOf[slot] = dupOf ?? NaN;
    this.sampleBody[slot] = body;
  }

  operation(_client: string, node: string, _op: string, tInvokeUs: number, tCompleteUs: number | null, outcome: OperationOutcome, detail: unknown): void {
    const latencyMs = outcome === 'timeout' || tCompleteUs === null ? null : (tCompleteUs - tInvokeUs) / 1000;
    this.operations.push(outcome === 'fail' ? [tInvokeUs / 1000, latencyMs, outcome, node, failureReason(detail)] : [tInvokeUs / 1000, latencyMs, outcome, node]);
  }

  event(tUs: number, node: string, kind: string, detail: unknown, _lamport: number | null = null, _vc: Record<string, number> | null = null): void {
    // Receive events are one per delivered message: the message sample already shows them.
    if (kind === 'recv') return;
    this.events.push([tUs / 1000, node, kind, detail ?? null]);
  }

  metric(tUs: number, node: string, name: string, value: number): void {
    let series = this.metricLastUs.get(node);
    if (!series) this.metricLastUs.set(node, (series = new Map()));
    const last = series.get(name);
    if (last !== undefined && tUs >= last && tUs - last < METRIC_SPACING_US) return;
    series.set(name, tUs);
    this.metrics.push([tUs / 1000, node, name, value]);
  }

  fault(tUs: number, kind: string, detail: unknown, source: FaultSource): void {
    this.faults.push([tUs / 1000, kind, detail ?? null, source]);
  }

  log(tUs: number, node: string, stream: LogStream, line: string): void {
    if (this.logs.length < LOG_LINES_PER_INCREMENT) {
      this.logs.push([tUs / 1000, node, stream, line]);
    } else {
      this.logsDropped++;
      this.logsDroppedUntilUs = tUs;
    }
  }

  // ------------------------------------------------------------ increments

  /** Everything new since the last call, as one increment; resets the buffers. */
  take(): RunData {
    const data: RunData = {
      runId: this.source.runId(),
      untilMs: this.source.nowUs() / 1000,
      traffic: this.takeTraffic(),
      operations: this.operations,
      events: this.events,
      metrics: this.metrics,
      faults: this.faults,
      messages: this.takeMessages(),
      logs: this.takeLogs(),
      nodes: this.source.nodeStates(),
      blocked: this.source.blockedLinks(),
    };
    this.operations = [];
    this.events = [];
    this.metrics = [];
    this.faults = [];
    return data;
  }

  private countsFor(bucket: number): Float64Array {
    let counts = this.traffic.get(bucket);
    if (!counts) this.traffic.set(bucket, (counts = new Float64Array(3)));
    this.lastBucket = bucket;
    this.lastCounts = counts;
    return counts;
  }

  private takeTraffic(): TrafficBucket[] {
    const buckets: TrafficBucket[] = [];
    for (const [bucket, [sent, delivered, lost]] of this.traffic) buckets.push([bucket * TRAFFIC_BUCKET_MS, sent, delivered, lost]);
    buckets.sort((a, b) => a[0] - b[0]);
    this.traffic = new Map();
    this.lastBucket = -1;
    this.lastCounts = null;
    return buckets;
  }

  private takeMessages(): MessagePoint[] {
    const kept = Math.min(this.seen, MESSAGE_SAMPLE_SIZE);
    const messages: MessagePoint[] = new Array(kept);
    for (let i = 0; i < kept; i++) {
      const deliver = this.sampleDeliver[i];
      messages[i] = [
        this.sampleId[i],
        this.sampleSrc[i],
        this.sampleDest[i],
        this.sampleType[i],
        this.sampleSend[i] / 1000,
        Number.isNaN(deliver) ? null : deliver / 1000,
        this.sampleFate[i],
        senderLamport(this.sampleBody[i]),
        Number.isNaN(this.sampleDupOf[i]) ? null : this.sampleDupOf[i],
        senderVector(this.sampleBody[i]),
      ];
      this.sampleBody[i] = '';
    }
    this.seen = 0;
    return messages.sort((a, b) => a[0] - b[0]);
  }

  private takeLogs(): LogPoint[] {
    const logs = this.logs;
    if (this.logsDropped > 0) {
      const note = `${this.logsDropped} more log lines arrived in this ${this.intervalMs} ms; the live view shows the first ${LOG_LINES_PER_INCREMENT}, the recording has them all`;
      logs.push([this.logsDroppedUntilUs / 1000, ENGINE_ENDPOINT_ID, 'engine', note]);
    }
    this.logs = [];
    this.logsDropped = 0;
    return logs;
  }
}

/** The sender's Lamport clock, which built-in nodes add to every body; null when absent. */
const VECTOR_KEY = '"vc":{';
const FLAT_OBJECT = /^\{[^{}]*\}/;

/** The vector clock the runtime appends to a message (`"vc":{"n1":3}`), or null. */
export function senderVector(body: string): Record<string, number> | null {
  const at = body.lastIndexOf(VECTOR_KEY);
  if (at < 0) return null;
  const object = FLAT_OBJECT.exec(body.slice(at + VECTOR_KEY.length - 1));
  if (!object) return null;
  try {
    const parsed = JSON.parse(object[0]) as Record<string, unknown>;
    const clock: Record<string, number> = {};
    for (const [node, value] of Object.entries(parsed)) if (typeof value === 'number') clock[node] = value;
    return clock;
  } catch {
    return null;
  }
}

export function senderLamport(body: string): number | null {
  // The runtime appends the clock after the body's own fields, so the last occurrence is
  // the top-level one even when the payload nests another message.
  const at = body.lastIndexOf(LAMPORT_KEY);
  if (at < 0) return null;
  DIGITS.lastIndex = at + LAMPORT_KEY.length;
  const match = DIGITS.exec(body);
  return match ? Number(match[0]) : null;
}
