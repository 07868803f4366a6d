// Endpoints that live inside the engine: workload clients c1…, and the engine itself (c0).
import type { Body } from '../sdk/protocol.js';
import type { Endpoint, Handover } from './switch.js';
import type { InFlight } from './delivery-queue.js';
import { ENGINE_ENDPOINT_ID } from '../sdk/wire.js';

export class ClientEndpoint implements Endpoint {
  reachable = true;

  constructor(
    readonly id: string,
    readonly address: number,
    private readonly onReply: (body: Body, corrupted: boolean, from?: string) => void,
    private readonly onRequestCorrupted: (originalBody: Body) => void,
  ) {}

  deliver(message: InFlight): Handover {
    try {
      this.onReply(JSON.parse(message.body) as Body, message.corrupted, message.srcId);
    } catch {
      // A reply that no longer parses is never matched: its request times out.
    }
    return 'done';
  }

  sentCorrupted(originalBody: string): void {
    this.onRequestCorrupted(JSON.parse(originalBody) as Body);
  }
}

/** Address 0. Frames to it never reach deliver(): the switch hands them to the engine. */
export class EngineEndpoint implements Endpoint {
  readonly id = ENGINE_ENDPOINT_ID;
  readonly address = 0;
  reachable = false;
  deliver(): Handover {
    return 'done';
  }
}
