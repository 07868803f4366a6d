// The members of a running experiment: the initial nodes, plus joins, minus leaves. A joined
// id is new for the whole run: one that left does not come back.
import type { FaultAction, NodeId } from '../experiment/types.js';
import { membershipChangeProblem } from '../experiment/membership-schedule.js';
import type { MembershipBody } from '../sdk/protocol.js';

export class Membership {
  private readonly current: NodeId[];
  private readonly ever: Set<NodeId>;

  constructor(initial: readonly NodeId[]) {
    this.current = [...initial];
    this.ever = new Set(initial);
  }

  get members(): readonly NodeId[] {
    return this.current;
  }

  /** Every node that was ever a member, in the order they joined. */
  get everMembers(): NodeId[] {
    return [...this.ever];
  }

  has(id: NodeId): boolean {
    return this.current.includes(id);
  }

  /** Why the join or leave cannot happen now, or null. */
  problem(action: Extract<FaultAction, { kind: 'join' | 'leave' }>): string | null {
    return membershipChangeProblem(action, new Set(this.current), this.ever, null);
  }

  join(id: NodeId): void {
    this.current.push(id);
    this.ever.add(id);
  }

  leave(id: NodeId): void {
    const i = this.current.indexOf(id);
    if (i >= 0) this.current.splice(i, 1);
  }

  /** The message every member gets after a change. */
  message(change: { joined?: NodeId; left?: NodeId }): MembershipBody {
    return { type: 'membership', members: [...this.current], ...change };
  }
}
