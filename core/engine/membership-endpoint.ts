// The sender of membership messages (`distlab`): an endpoint of the switch so that its
// messages are routed, delivered and recorded like any other, with a name nodes know.
import { MEMBERSHIP_SENDER } from '../experiment/types.js';
import type { Endpoint, Handover } from './switch.js';

export class MembershipEndpoint implements Endpoint {
  readonly id = MEMBERSHIP_SENDER;
  reachable = true;

  constructor(readonly address: number) {}

  /** Nothing answers membership messages: a reply is consumed and forgotten. */
  deliver(): Handover {
    return 'done';
  }
}
