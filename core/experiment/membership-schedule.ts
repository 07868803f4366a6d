// The membership a fault schedule implies: the initial nodes, plus each join, minus each
// leave, in time order. A join must bring a new id, a leave must name a member, and the
// last member cannot leave.
import type { FaultAction, NodeId, ScheduledFault } from './types.js';
import { formatDurationMs } from './units.js';

const NODE_NAME = /^n[1-9]\d*$/;

export interface MembershipProblem {
  /** The fault's index in the file's list. */
  index: number;
  path: string;
  message: string;
}

/** Why `action` cannot change `members` (at `atMs`), or null; `everMembers` holds every id that was ever one. */
export function membershipChangeProblem(action: FaultAction, members: ReadonlySet<NodeId>, everMembers: ReadonlySet<NodeId>, atMs: number | null): string | null {
  const when = atMs === null ? 'now' : `at ${formatDurationMs(atMs)}`;
  if (action.kind === 'join') {
    if (!NODE_NAME.test(action.node)) return `expected a new node id like "${nextFreeId(everMembers)}", got "${action.node}"`;
    if (members.has(action.node)) return `${action.node} is already a member ${when}`;
    if (everMembers.has(action.node)) return `${action.node} was a member and left; a joining node needs a new id, like "${nextFreeId(everMembers)}"`;
    return null;
  }
  if (action.kind === 'leave') {
    if (!members.has(action.node)) return `${action.node} is not a member ${when} (members: ${[...members].join(', ')})`;
    if (members.size === 1) return `${action.node} is the last member ${when}; an experiment keeps at least one node`;
  }
  return null;
}

/**
 * Walks the schedule in time order (the file's order at equal times); one problem per bad
 * join or leave. `live` holds a running experiment's membership: its faults happen now.
 */
export function checkMembershipSchedule(initial: readonly NodeId[], faults: readonly ScheduledFault[], live?: { ever: readonly NodeId[] }): MembershipProblem[] {
  const members = new Set(initial);
  const ever = new Set([...initial, ...(live?.ever ?? [])]);
  const problems: MembershipProblem[] = [];
  const order = faults.map((fault, index) => ({ fault, index })).sort((a, b) => a.fault.atMs - b.fault.atMs);
  for (const { fault, index } of order) {
    const { action } = fault;
    if (action.kind !== 'join' && action.kind !== 'leave') continue;
    const problem = membershipChangeProblem(action, members, ever, live ? null : fault.atMs);
    if (problem) {
      problems.push({ index, path: `faults[${index}].${action.kind}`, message: problem });
      continue;
    }
    if (action.kind === 'join') {
      members.add(action.node);
      ever.add(action.node);
    } else {
      members.delete(action.node);
    }
  }
  return problems.sort((a, b) => a.index - b.index);
}

/** Every id the schedule ever joins, so that later faults may name them. */
export function joinedIds(faults: readonly ScheduledFault[]): NodeId[] {
  return faults.flatMap((fault) => (fault.action.kind === 'join' ? [fault.action.node] : []));
}

function nextFreeId(taken: ReadonlySet<NodeId>): NodeId {
  let k = 1;
  while (taken.has(`n${k}`)) k++;
  return `n${k}`;
}
