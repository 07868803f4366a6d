// A service (lin-kv, seq-kv, …) as an endpoint of the switch: requests reach it through the
// network like any message, and its replies go back through the switch, faults and all.
import type { Body } from '../sdk/protocol.js';
import { encodeFrame, FrameKind } from '../sdk/wire.js';
import type { ProvidedService } from '../services/registry.js';
import type { InFlight } from './delivery-queue.js';
import type { Endpoint, Handover } from './switch.js';

export class ServiceEndpoint implements Endpoint {
  readonly id: string;
  reachable = true;
  private timer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly provided: ProvidedService,
    readonly address: number,
    /** Hands a frame from this endpoint to the switch. */
    private readonly route: (frame: Buffer, src: number) => void,
  ) {
    this.id = provided.name;
  }

  deliver(message: InFlight): Handover {
    let body: Body;
    try {
      body = JSON.parse(message.body) as Body;
    } catch {
      // A body the network corrupted past parsing has no msg_id to answer: like a lost request.
      return 'done';
    }
    if (body === null || typeof body !== 'object' || typeof body.type !== 'string') return 'done';
    // Services answer requests; a stray reply sent to one is not answered.
    if (body.in_reply_to !== undefined && body.msg_id === undefined) return 'done';
    const reply = this.provided.service.handle(message.srcId ?? String(message.src), body);
    if (body.msg_id !== undefined) reply.in_reply_to = body.msg_id;
    this.startPeriodic();
    // Sent after this delivery is recorded, so that the reply never seems to leave before the request arrived.
    queueMicrotask(() => this.route(encodeFrame(FrameKind.message, this.address, message.src, reply.type, JSON.stringify(reply)), this.address));
    return 'done';
  }

  endTraffic(): void {
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private startPeriodic(): void {
    const periodic = this.provided.periodic;
    if (!periodic || this.timer || this.ended) return;
    this.timer = setInterval(() => periodic.run(), periodic.everyMs);
    this.timer.unref();
  }
}
