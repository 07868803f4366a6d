// The simulated network: the switch's rules on virtual time. Each message meets the
// topology (partitions, cuts) and its link's model (same per-link rng streams as a real
// run), is delivered by the scheduler at its due time, and its fate is recorded once.
import type { LinkParams, NodeId } from '../experiment/types.js';
import { corruptBody } from '../engine/link-model.js';
import { LinkTable } from '../engine/link-table.js';
import { Topology } from '../engine/topology.js';
import { createRng, type Rng } from '../engine/prng.js';
import type { MessageSink } from '../engine/switch.js';
import type { FaultableNetwork } from '../engine/fault-injector.js';
import { FATE_COUNTS, zeroCounts, type MessageCounts } from '../engine/message-counts.js';
import type { MessageFate } from '../store/schema.js';
import type { PendingEvent, Scheduler } from './scheduler.js';

/** One party on the simulated network: a node, a client or a service. */
export interface SimEndpoint {
  readonly id: NodeId;
  /** False while nothing can receive: crashed, killed, never started. */
  readonly reachable: boolean;
  receive(from: NodeId, body: string, corrupted: boolean): void;
  /** Told when a message it sent was corrupted on the way, with the body it sent. */
  sentCorrupted?(originalBody: string): void;
}

/** A message on its way, as stepping lists it. */
export interface MessageInFlight {
  id: number;
  from: NodeId;
  to: NodeId;
  type: string;
  /** As it travels: already corrupted when the link corrupts it. */
  body: string;
  sentUs: number;
  dueUs: number;
  /** The original's id when this is a copy. */
  copyOf: number | null;
}

/** Stepping named a message that is not on its way (delivered, dropped, never sent). */
export class NotInFlightError extends Error {
  constructor(readonly messageId: number) {
    super(`message #${messageId} is not in flight`);
    this.name = 'NotInFlightError';
  }
}

/** Each message is its own scheduler tag, so that its delivery names it without another object. */
interface InFlight {
  readonly kind: 'message';
  id: number;
  src: number;
  dest: number;
  type: string;
  body: string;
  bytes: number;
  tSendUs: number;
  dueUs: number;
  dupOf: number | null;
  corrupted: boolean;
  pending: PendingEvent | null;
}

export class SimNetwork implements FaultableNetwork {
  readonly topology: Topology;
  readonly links: LinkTable;
  readonly counts: MessageCounts = zeroCounts();
  private readonly corruptionRng: Rng;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly addressOf = new Map<NodeId, number>();
  private nextId = 0;
  private ended = false;
  /** The last message whose fate was recorded, and that fate: what a step's delivery came to. */
  lastRecordedId = 0;
  lastRecordedFate: MessageFate | null = null;

  constructor(
    private readonly endpoints: SimEndpoint[],
    defaults: LinkParams,
    seed: number,
    private readonly scheduler: Scheduler,
    private readonly sink: MessageSink,
  ) {
    endpoints.forEach((e, address) => this.addressOf.set(e.id, address));
    this.topology = new Topology(endpoints.length);
    this.links = new LinkTable(endpoints.map((e) => e.id), defaults, seed);
    this.corruptionRng = createRng(seed, 'corruption');
  }

  get messagesInFlight(): number {
    return this.inFlight.size;
  }

  idOf(address: number): NodeId {
    return this.endpoints[address]?.id ?? '?';
  }

  address(id: NodeId): number | undefined {
    return this.addressOf.get(id);
  }

  /** Sends one message; the decisions are the switch's, in its order. */
  send(from: NodeId, to: NodeId, type: string, body: string): void {
    const src = this.addressOf.get(from)!;
    const dest = this.addressOf.get(to);
    const id = ++this.nextId;
    const now = this.scheduler.nowUs;
    const bytes = Buffer.byteLength(body);
    this.counts.sent++;
    if (this.ended) return this.record(id, from, to, type, body, bytes, now, null, 'in-flight-at-end', null, false);
    // Address 0 is the engine: nothing there receives messages.
    if (dest === undefined || dest === 0) return this.record(id, from, to, type, body, bytes, now, null, 'undeliverable', null, false);
    if (this.topology.isBlocked(src, dest)) return this.record(id, from, to, type, body, bytes, now, null, 'partitioned', null, false);
    const decision = this.links.model(src, dest).decide(now, bytes);
    if (decision.fate !== 'deliver') return this.record(id, from, to, type, body, bytes, now, null, decision.fate === 'lost' ? 'lost' : 'overflow', null, false);
    const { deliverAtUs, corrupt, duplicate, duplicateAtUs, duplicateCorrupt } = decision;
    this.schedule(id, src, dest, type, body, bytes, now, deliverAtUs, corrupt, null);
    if (duplicate) {
      this.counts.duplicated++;
      this.schedule(++this.nextId, src, dest, type, body, bytes, now, duplicateAtUs, duplicateCorrupt, id);
    }
  }

  /** The run's traffic ended: what is still on the way was in flight at the end, in due order. */
  endTraffic(): void {
    if (this.ended) return;
    this.ended = true;
    for (const m of this.inFlight.values()) m.pending?.cancel();
    const left = [...this.inFlight.values()].sort((a, b) => a.dueUs - b.dueUs || a.id - b.id);
    this.inFlight.clear();
    for (const m of left) this.recordInFlight(m, null, 'in-flight-at-end');
  }

  /** The messages on their way, in the order they are due. */
  inFlightMessages(): MessageInFlight[] {
    return [...this.inFlight.values()]
      .sort((a, b) => a.dueUs - b.dueUs || a.id - b.id)
      .map((m) => this.messageInFlight(m.id));
  }

  /** One message on its way. */
  messageInFlight(id: number): MessageInFlight {
    const m = this.inFlight.get(id);
    if (!m) throw new NotInFlightError(id);
    return { id: m.id, from: this.idOf(m.src), to: this.idOf(m.dest), type: m.type, body: m.body, sentUs: m.tSendUs, dueUs: m.dueUs, copyOf: m.dupOf };
  }

  /** The scheduler's event that delivers a message in flight. */
  deliveryOf(id: number): PendingEvent {
    const m = this.inFlight.get(id);
    if (!m?.pending) throw new NotInFlightError(id);
    return m.pending;
  }

  /** Takes a message off the wire: its fate is recorded as a loss. */
  drop(id: number): void {
    const m = this.inFlight.get(id);
    if (!m) throw new NotInFlightError(id);
    m.pending?.cancel();
    this.inFlight.delete(id);
    this.recordInFlight(m, null, 'lost');
  }

  /** Puts a copy of a message in flight beside it, due when it is: counted and recorded as the network's duplicates are. */
  duplicate(id: number): number {
    const m = this.inFlight.get(id);
    if (!m) throw new NotInFlightError(id);
    this.counts.duplicated++;
    const copy: InFlight = { ...m, id: ++this.nextId, dupOf: m.dupOf ?? m.id, pending: null };
    this.track(copy);
    return copy.id;
  }

  private schedule(id: number, src: number, dest: number, type: string, body: string, bytes: number, now: number, dueUs: number, corrupt: boolean, dupOf: number | null): void {
    let payload = body;
    if (corrupt) {
      this.endpoints[src].sentCorrupted?.(body);
      payload = corruptBody(body, this.corruptionRng);
    }
    this.track({ kind: 'message', id, src, dest, type, body: payload, bytes, tSendUs: now, dueUs, dupOf, corrupted: corrupt, pending: null });
  }

  private track(m: InFlight): void {
    this.inFlight.set(m.id, m);
    m.pending = this.scheduler.at(m.dueUs, () => this.arrive(m), m);
    m.dueUs = m.pending.atUs;
  }

  private arrive(m: InFlight): void {
    this.inFlight.delete(m.id);
    const target = this.endpoints[m.dest];
    if (!target.reachable) return this.recordInFlight(m, null, 'undeliverable');
    // Maelstrom's rule: a partition that starts while a message is in flight drops it.
    if (this.topology.isBlocked(m.src, m.dest)) return this.recordInFlight(m, null, 'partitioned');
    // Recorded before the receiver acts, so that an answer never leaves before its request arrived.
    this.recordInFlight(m, this.scheduler.nowUs, m.corrupted ? 'corrupted' : 'delivered');
    target.receive(this.idOf(m.src), m.body, m.corrupted);
  }

  private recordInFlight(m: InFlight, tDeliverUs: number | null, fate: MessageFate): void {
    this.record(m.id, this.idOf(m.src), this.idOf(m.dest), m.type, m.body, m.bytes, m.tSendUs, tDeliverUs, fate, m.dupOf, m.corrupted);
  }

  private record(id: number, src: NodeId, dest: NodeId, type: string, body: string, bytes: number, tSendUs: number, tDeliverUs: number | null, fate: MessageFate, dupOf: number | null, corrupted: boolean): void {
    this.counts[FATE_COUNTS[fate]]++;
    this.lastRecordedId = id;
    this.lastRecordedFate = fate;
    this.sink.message(id, src, dest, type, body, bytes, tSendUs, tDeliverUs, fate, dupOf, corrupted);
  }
}
