// The parties of a simulation besides the nodes: the engine's own address, the workload's
// clients, and the services (lin-kv, …) that answer through the network as in a real run.
import type { NodeId } from '../experiment/types.js';
import type { Body } from '../sdk/protocol.js';
import type { ProvidedService } from '../services/registry.js';
import type { Workload } from '../workloads/workload.js';
import type { Cancelable } from '../workloads/timer-port.js';
import type { Scheduler } from './scheduler.js';
import type { SimEndpoint } from './sim-network.js';

/** Address 0: the engine; no message is ever delivered to it. */
export class SimEngineEndpoint implements SimEndpoint {
  readonly reachable = false;
  constructor(readonly id: NodeId) {}
  receive(): void {}
}

export class SimClient implements SimEndpoint {
  readonly reachable = true;

  constructor(
    readonly id: NodeId,
    private readonly workload: () => Workload | null,
  ) {}

  receive(from: NodeId, text: string, corrupted: boolean): void {
    let body: Body;
    try {
      body = JSON.parse(text) as Body;
    } catch {
      // A reply that no longer parses is never matched: its request times out.
      return;
    }
    this.workload()?.onReply(this.id, body, corrupted, from);
  }

  sentCorrupted(originalBody: string): void {
    this.workload()?.onRequestCorrupted(this.id, JSON.parse(originalBody) as Body);
  }
}

export class SimService implements SimEndpoint {
  readonly id: NodeId;
  readonly reachable = true;
  private periodic: Cancelable | null = null;
  private ended = false;

  constructor(
    private readonly provided: ProvidedService,
    private readonly scheduler: Scheduler,
    private readonly send: (from: NodeId, to: NodeId, body: Body) => void,
  ) {
    this.id = provided.name;
  }

  receive(from: NodeId, text: string): void {
    let body: Body;
    try {
      body = JSON.parse(text) as Body;
    } catch {
      return;
    }
    if (body === null || typeof body !== 'object' || typeof body.type !== 'string') return;
    // Services answer requests; a stray reply sent to one is not answered.
    if (body.in_reply_to !== undefined && body.msg_id === undefined) return;
    const reply = this.provided.service.handle(from, body);
    if (body.msg_id !== undefined) reply.in_reply_to = body.msg_id;
    this.startPeriodic();
    this.send(this.id, from, reply);
  }

  endTraffic(): void {
    this.ended = true;
    this.periodic?.cancel();
  }

  private startPeriodic(): void {
    const periodic = this.provided.periodic;
    if (!periodic || this.periodic || this.ended) return;
    this.periodic = this.scheduler.every(periodic.everyMs, () => periodic.run(), { kind: 'other', label: `service ${this.id}` });
  }
}
