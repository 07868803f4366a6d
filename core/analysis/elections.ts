// Leader elections as recorded: how many, how many split, and how long the cluster went
// without a leader after its leader was killed, paused or cut off.
import { msFromUs, spread, type RecordedEvent, type RecordedFault, type Spread } from './recorded.js';

export interface Reelection {
  fault: string;
  atMs: number;
  oldLeader: string;
  newLeader: string | null;
  /** From the fault until another node became leader, in ms; null if none did. */
  ms: number | null;
}

export interface ElectionMeasurements {
  elections: number;
  splitVotes: number;
  leaders: number;
  reelections: Reelection[];
  electionMs: Spread | null;
}

interface LeaderTerm {
  tUs: number;
  node: string;
  term: number;
}

export function measureElections(faults: RecordedFault[], events: RecordedEvent[]): ElectionMeasurements | null {
  const becameLeader: LeaderTerm[] = events
    .filter((e) => e.kind === 'role' && e.data?.role === 'leader')
    .map((e) => ({ tUs: e.tUs, node: e.node, term: Number(e.data.term) }))
    .sort((a, b) => a.tUs - b.tUs);
  const electionTerms = new Set(events.filter((e) => e.kind === 'election').map((e) => Number(e.data?.term)));
  if (becameLeader.length === 0 && electionTerms.size === 0) return null;
  const leaderTerms = new Set(becameLeader.map((l) => l.term));

  const reelections: Reelection[] = [];
  for (const fault of [...faults].sort((a, b) => a.tUs - b.tUs)) {
    const leader = leaderAt(becameLeader, fault.tUs);
    if (!leader || !cutsOff(fault, leader.node)) continue;
    const next = becameLeader.find((l) => l.tUs > fault.tUs && l.node !== leader.node && l.term > leader.term);
    reelections.push({
      fault: fault.kind,
      atMs: msFromUs(fault.tUs),
      oldLeader: leader.node,
      newLeader: next?.node ?? null,
      ms: next ? msFromUs(next.tUs - fault.tUs) : null,
    });
  }
  return {
    elections: electionTerms.size,
    splitVotes: [...electionTerms].filter((t) => !leaderTerms.has(t)).length,
    leaders: becameLeader.length,
    reelections,
    electionMs: spread(reelections.flatMap((r) => (r.ms === null ? [] : [r.ms]))),
  };
}

/** The leader of the highest term elected by tUs. */
function leaderAt(leaders: LeaderTerm[], tUs: number): LeaderTerm | null {
  let current: LeaderTerm | null = null;
  for (const l of leaders) {
    if (l.tUs > tUs) break;
    if (!current || l.term >= current.term) current = l;
  }
  return current;
}

/** Does the fault take the node away from a majority of the cluster? */
function cutsOff(fault: RecordedFault, node: string): boolean {
  const nodes: string[] = fault.detail?.nodes ?? [];
  if (['kill', 'stop', 'pause', 'restart'].includes(fault.kind)) return nodes.includes(node) && !(fault.detail?.skipped ?? []).includes(node);
  const groups: string[][] | undefined = fault.detail?.groups;
  if ((fault.kind === 'partition' || fault.kind === 'partition-pattern') && groups) {
    const all = groups.flat().length;
    const own = groups.find((g) => g.includes(node));
    return own !== undefined && own.length * 2 <= all;
  }
  return false;
}
