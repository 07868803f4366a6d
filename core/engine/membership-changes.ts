// Joins and leaves of a running experiment: who is a member, who is still starting, and the
// order of each change. A join starts the node, waits for its init_ok, then tells every
// member; a leave tells the members and the node at once, waits the drain, then stops it.
import type { FaultAction, NodeId } from '../experiment/types.js';
import { Membership } from './membership.js';
import type { ManagedNode } from './node-process.js';

type MembershipAction = Extract<FaultAction, { kind: 'join' | 'leave' }>;

/** What the run lends the membership changes. */
export interface MembershipHost {
  /** Why no change can happen at all (the program does not take them), or null. */
  programRefusal(): string | null;
  /** Registers a new node at the next address, with the switch and every built-in node. */
  addNode(id: NodeId): ManagedNode;
  /** Starts and initializes a node; false when it never came up. */
  startNode(node: ManagedNode): Promise<boolean>;
  stopNode(node: ManagedNode): Promise<void>;
  /** Sends a membership message from `distlab` to a node. */
  tell(id: NodeId, body: string): void;
  event(node: NodeId, kind: string, data: Record<string, unknown>): void;
  notice(node: NodeId, text: string): void;
  problem(node: NodeId, text: string): void;
  nowUs(): number;
  drainMs: number;
  /** True once the run's end began: nodes still joining or draining stop with the others. */
  ending(): boolean;
}

export class MembershipChanges {
  private readonly membership: Membership;
  /** Members still starting: they learn the membership from their own join's message. */
  private readonly joining = new Set<NodeId>();

  constructor(
    initial: readonly NodeId[],
    private readonly host: MembershipHost,
    private readonly nodes: ReadonlyMap<NodeId, ManagedNode>,
  ) {
    this.membership = new Membership(initial);
  }

  /** The members now, in the order they joined. */
  get members(): readonly NodeId[] {
    return this.membership.members;
  }

  /** The members that are up (not still starting): where clients send. */
  get membersUp(): readonly NodeId[] {
    return this.joining.size ? this.membership.members.filter((id) => !this.joining.has(id)) : this.membership.members;
  }

  get everMembers(): NodeId[] {
    return this.membership.everMembers;
  }

  /** Why the change cannot happen now, or null. */
  refusal(action: MembershipAction): string | null {
    return this.host.programRefusal() ?? this.membership.problem(action);
  }

  /** Starts the change, or records why it cannot happen; returns what was done, for the record. */
  apply(action: MembershipAction): Record<string, unknown> {
    const reason = this.refusal(action);
    if (reason) {
      this.host.event(action.node, 'membership-refused', { action: action.kind, node: action.node, reason });
      this.host.notice(action.node, `${action.kind} refused: ${reason}`);
      return { node: action.node, refused: reason };
    }
    if (action.kind === 'join') {
      this.membership.join(action.node);
      void this.join(action.node);
    } else {
      this.membership.leave(action.node);
      void this.leave(action.node);
    }
    return { node: action.node, members: [...this.membership.members] };
  }

  private async join(id: NodeId): Promise<void> {
    const requestedUs = this.host.nowUs();
    this.joining.add(id);
    const node = this.host.addNode(id);
    const up = await this.host.startNode(node);
    this.joining.delete(id);
    // Stopped by the run's end while starting: not a problem of the node's.
    if (this.host.ending()) return;
    if (!up) {
      this.membership.leave(id);
      this.host.problem(id, 'joined the experiment but did not come up; it is not a member');
      return;
    }
    this.host.event(id, 'node-joined', { members: [...this.membership.members], requestedUs });
    this.announce({ joined: id });
  }

  private async leave(id: NodeId): Promise<void> {
    const node = this.nodes.get(id);
    if (!node) return;
    this.announce({ left: id }, [id]);
    await new Promise((resolve) => setTimeout(resolve, this.host.drainMs));
    if (this.host.ending()) return;
    await this.host.stopNode(node);
    this.host.event(id, 'node-left', { members: [...this.membership.members] });
  }

  /** The membership message, to every member that is up and to `also` (the node that leaves). */
  private announce(change: { joined?: NodeId; left?: NodeId }, also: NodeId[] = []): void {
    const body = JSON.stringify(this.membership.message(change));
    for (const id of [...this.membership.members, ...also]) if (!this.joining.has(id)) this.host.tell(id, body);
  }
}
