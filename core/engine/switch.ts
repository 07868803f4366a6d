// The network switch: every message between endpoints passes through here. It applies
// the link model and the topology, schedules deliveries, and reports every fate.
import type { LinkParams, NodeId } from '../experiment/types.js';
import { corruptBody, LinkModel } from './link-model.js';
import { createRng, type Rng } from './prng.js';
import { DeliveryQueue, type InFlight } from './delivery-queue.js';
import { Topology } from './topology.js';
import { LinkTable } from './link-table.js';
import { Histogram } from '../analysis/histogram.js';
import { PreciseWaker } from './precise-waker.js';
import { encodeFrame, frameBody, frameBodyStart, frameDest, frameType, FrameKind, setFrameSrc } from '../sdk/wire.js';
import type { RunClock } from './run-clock.js';
import type { MessageFate } from '../store/schema.js';
import { FATE_COUNTS, zeroCounts, type MessageCounts } from './message-counts.js';
import type { Settle, SettleFate } from './outbox.js';


/** Where every message's fate goes: the recorder, with the same signature. */
export interface MessageSink {
  message(id: number, src: string, dest: string, type: string, body: string, bytes: number, tSendUs: number, tDeliverUs: number | null, fate: MessageFate, dupOf: number | null, corrupted: boolean): void;
}

/**
 * What an endpoint did with a message handed to it: `done` (written or consumed now),
 * `pending` (queued for writing; the endpoint settles it later through the switch's
 * settle function), `full` (its inbound queue is full: the message overflows) or `gone`
 * (nothing to write to: the node's connection closed).
 */
export type Handover = 'done' | 'pending' | 'full' | 'gone';

export interface Endpoint {
  readonly id: NodeId;
  readonly address: number;
  /** False while nothing can receive: not yet connected, crashed, killed. */
  reachable: boolean;
  deliver(message: InFlight, settle: Settle): Handover;
  /** Told when a message it sent was corrupted on the way, with the body it sent. */
  sentCorrupted?(originalBody: string): void;
  /** The run's traffic ended: settle every message still queued as in flight at the end. */
  endTraffic?(): void;
}

export type { MessageCounts };

export const UNKNOWN_ADDRESS = 0xffff;
/** A delivery is never early; one due within this many µs of now counts as due. */
const DUE_SLACK_US = 0;

export class Switch {
  readonly topology: Topology;
  readonly links: LinkTable;
  /** How late scheduled deliveries left, in µs after their due time: the switch's fidelity. */
  readonly lateness = new Histogram();
  readonly counts: MessageCounts = zeroCounts();
  private readonly endpoints: Endpoint[];
  private readonly queue = new DeliveryQueue();
  private readonly corruptionRng: Rng;
  private nextId = 0;
  private order = 0;
  private readonly waker = new PreciseWaker(() => this.deliverDue());
  private closed = false;
  /** Set when the run's traffic ended: whatever arrives from then on was in flight at the end. */
  private ended = false;
  private readonly settleFn: Settle = (message, outcome) => this.settle(message, outcome);

  constructor(
    endpoints: Endpoint[],
    defaults: LinkParams,
    seed: number,
    private readonly clock: RunClock,
    private readonly sink: MessageSink,
    private readonly onEngineFrame: (frame: Buffer, src: number) => void,
  ) {
    this.endpoints = endpoints;
    this.topology = new Topology(endpoints.length);
    this.links = new LinkTable(endpoints.map((e) => e.id), defaults, seed);
    this.corruptionRng = createRng(seed, 'corruption');
  }

  get inFlight(): number {
    return this.queue.size;
  }

  idOf(address: number): NodeId {
    return this.endpoints[address]?.id ?? '?';
  }

  /** Routes one frame from `src`. The frame is owned by the switch from now on. */
  route(frame: Buffer, src: number): void {
    setFrameSrc(frame, src);
    const dest = frameDest(frame);
    if (dest === 0) {
      this.onEngineFrame(frame, src);
      return;
    }
    if (this.closed) return;
    const id = ++this.nextId;
    const now = this.clock.nowUs();
    const type = frameType(frame);
    const body = frameBody(frame);
    const bytes = frame.length - frameBodyStart(frame);
    this.counts.sent++;
    if (this.ended) {
      this.record(id, src, this.endpoints[dest]?.id ?? unknownDestName(dest, body), type, body, bytes, now, null, 'in-flight-at-end', null, false);
      return;
    }
    const target = this.endpoints[dest];
    if (!target) {
      this.record(id, src, unknownDestName(dest, body), type, body, bytes, now, null, 'undeliverable', null, false);
      return;
    }
    if (this.topology.isBlocked(src, dest)) {
      this.record(id, src, target.id, type, body, bytes, now, null, 'partitioned', null, false);
      return;
    }
    const decision = this.links.model(src, dest).decide(now, bytes);
    if (decision.fate !== 'deliver') {
      this.record(id, src, target.id, type, body, bytes, now, null, decision.fate === 'lost' ? 'lost' : 'overflow', null, false);
      return;
    }
    // Copy the decision out: the link model reuses its object.
    const { deliverAtUs, corrupt, duplicate, duplicateAtUs, duplicateCorrupt } = decision;
    this.schedule(id, src, dest, frame, type, body, bytes, now, deliverAtUs, corrupt, null);
    if (duplicate) {
      this.counts.duplicated++;
      this.schedule(++this.nextId, src, dest, frame, type, body, bytes, now, duplicateAtUs, duplicateCorrupt, id);
    }
  }

  /** A node that joins the running experiment, at the next address. */
  addEndpoint(endpoint: Endpoint): void {
    if (endpoint.address !== this.endpoints.length) throw new Error(`${endpoint.id} joins at address ${endpoint.address}, expected ${this.endpoints.length}`);
    this.endpoints.push(endpoint);
    this.topology.grow();
    this.links.add(endpoint.id);
  }

  /**
   * A message from the engine's side that must arrive (a membership change): it skips the
   * link model and partitions, but is queued, delivered and recorded like any other.
   */
  sendReliable(src: number, dest: number, type: string, body: string): void {
    if (this.closed) return;
    const id = ++this.nextId;
    const now = this.clock.nowUs();
    const frame = encodeFrame(FrameKind.message, src, dest, type, body);
    this.counts.sent++;
    if (this.ended) {
      this.record(id, src, this.idOf(dest), type, body, Buffer.byteLength(body), now, null, 'in-flight-at-end', null, false);
      return;
    }
    const item: InFlight = { dueUs: now, order: this.order++, id, src, dest, frame, type, body, bytes: Buffer.byteLength(body), tSendUs: now, dupOf: null, corrupted: false };
    if (this.endpoints[dest]?.reachable) this.handOver(item);
    else this.recordInFlight(item, null, 'undeliverable');
  }

  /** A message that names no known endpoint (from the stdio bridge). */
  routeUnknown(src: number, destName: string, type: string, body: string): void {
    this.counts.sent++;
    this.record(++this.nextId, src, destName, type, body, Buffer.byteLength(body), this.clock.nowUs(), null, this.ended ? 'in-flight-at-end' : 'undeliverable', null, false);
  }

  /**
   * Ends the run's traffic: messages still queued in the switch or not yet written to their
   * destination, and any that arrive from now on, are in flight at the end.
   */
  endTraffic(): void {
    if (this.ended) return;
    this.ended = true;
    this.waker.close();
    for (const m of this.queue.drain()) this.recordInFlight(m, null, 'in-flight-at-end');
    for (const endpoint of this.endpoints) endpoint.endTraffic?.();
  }

  /** The switch is done: nothing more is routed or recorded. */
  close(): void {
    this.endTraffic();
    this.closed = true;
  }

  private schedule(id: number, src: number, dest: number, frame: Buffer, type: string, body: string, bytes: number, now: number, dueUs: number, corrupt: boolean, dupOf: number | null): void {
    let payload = body;
    let outFrame = frame;
    if (corrupt) {
      this.endpoints[src].sentCorrupted?.(body);
      payload = corruptBody(body, this.corruptionRng);
      outFrame = encodeFrame(FrameKind.message, src, dest, type, payload);
    }
    const item: InFlight = { dueUs, order: this.order++, id, src, dest, frame: outFrame, type, body: payload, bytes, tSendUs: now, dupOf, corrupted: corrupt };
    if (dueUs - now <= DUE_SLACK_US && this.queue.size === 0) {
      this.deliverNow(item);
      return;
    }
    this.queue.push(item);
    // Under load the engine is awake anyway: deliver what is due without waiting to be woken.
    if (this.queue.peekDueUs() <= now) this.deliverDue();
    else this.wake();
  }

  private deliverNow(m: InFlight): void {
    const target = this.endpoints[m.dest];
    if (!target.reachable) {
      this.recordInFlight(m, null, 'undeliverable');
    } else if (this.topology.isBlocked(m.src, m.dest)) {
      // Maelstrom's rule: a partition that starts while a message is in flight drops it.
      this.recordInFlight(m, null, 'partitioned');
    } else {
      this.handOver(m);
    }
  }

  private handOver(m: InFlight): void {
    m.srcId = this.endpoints[m.src].id;
    const handover = this.endpoints[m.dest].deliver(m, this.settleFn);
    if (handover === 'done') this.settle(m, 'written');
    else if (handover === 'gone') this.settle(m, 'failed');
    else if (handover === 'full') this.recordInFlight(m, null, 'overflow');
  }

  /** An endpoint's report on a message it had queued for writing. */
  private settle(m: InFlight, outcome: SettleFate): void {
    if (this.closed) return;
    if (outcome === 'written') this.recordInFlight(m, this.clock.nowUs(), m.corrupted ? 'corrupted' : 'delivered');
    else this.recordInFlight(m, null, outcome === 'failed' ? 'undeliverable' : 'in-flight-at-end');
  }

  private recordInFlight(m: InFlight, tDeliverUs: number | null, fate: MessageFate): void {
    this.record(m.id, m.src, this.idOf(m.dest), m.type, m.body, m.bytes, m.tSendUs, tDeliverUs, fate, m.dupOf, m.corrupted);
  }

  private record(id: number, src: number, dest: string, type: string, body: string, bytes: number, tSendUs: number, tDeliverUs: number | null, fate: MessageFate, dupOf: number | null, corrupted: boolean): void {
    this.counts[FATE_COUNTS[fate]]++;
    this.sink.message(id, this.idOf(src), dest, type, body, bytes, tSendUs, tDeliverUs, fate, dupOf, corrupted);
  }

  private wake(): void {
    if (!this.closed && this.queue.size) this.waker.wakeAt(this.clock.monotonicMsAt(this.queue.peekDueUs()));
  }

  private deliverDue(): void {
    const limit = this.clock.nowUs() + DUE_SLACK_US;
    while (this.queue.peekDueUs() <= limit) {
      const m = this.queue.pop()!;
      this.lateness.record(this.clock.nowUs() - m.dueUs);
      this.deliverNow(m);
    }
    if (this.queue.size) this.wake();
  }
}

function unknownDestName(dest: number, body: string): string {
  if (dest !== UNKNOWN_ADDRESS) return `#${dest}`;
  try {
    return String((JSON.parse(body) as { __to?: unknown }).__to ?? '?');
  } catch {
    return '?';
  }
}
