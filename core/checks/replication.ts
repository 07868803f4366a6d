// Replication safety from `apply {index, term, digest}` events: replicas' logs agree
// (Raft's log matching, seen through what they applied), and nothing applied is ever
// replaced (committed entries are never lost). Async primary-backup fails the second
// on purpose: a new primary truncates what the old one had applied.

export interface ApplyRecord {
  node: string;
  tUs: number;
  index: number;
  term: number;
  digest: string | number;
}

type AppliedEntry = Omit<ApplyRecord, 'index'>;

export interface ReplicatedLogsResult {
  valid: boolean;
  /** Indexes applied by more than one replica. */
  indexesChecked: number;
  /** Indexes where replicas ended up with different entries. */
  conflicts: number;
  violations: Array<{ index: number; entries: AppliedEntry[] }>;
}

export interface CommittedNotLostResult {
  valid: boolean;
  indexesChecked: number;
  /** Indexes whose first applied entry was later replaced by another. */
  lost: number;
  violations: Array<{ index: number; applied: AppliedEntry; replacedBy: AppliedEntry }>;
}

const MAX_EXAMPLES = 10;

/** Compares each replica's latest entry at every index that more than one replica applied. */
export function checkReplicatedLogs(applies: readonly ApplyRecord[]): ReplicatedLogsResult {
  const latest = new Map<number, Map<string, AppliedEntry>>();
  for (const a of inTimeOrder(applies)) {
    const atIndex = latest.get(a.index) ?? new Map<string, AppliedEntry>();
    atIndex.set(a.node, entryOf(a));
    latest.set(a.index, atIndex);
  }
  let indexesChecked = 0;
  let conflicts = 0;
  const violations: ReplicatedLogsResult['violations'] = [];
  for (const index of [...latest.keys()].sort((a, b) => a - b)) {
    const entries = [...latest.get(index)!.values()];
    if (entries.length < 2) continue;
    indexesChecked++;
    if (new Set(entries.map((e) => e.digest)).size === 1) continue;
    conflicts++;
    if (violations.length < MAX_EXAMPLES) violations.push({ index, entries });
  }
  return { valid: conflicts === 0, indexesChecked, conflicts, violations };
}

/** The first entry applied at an index, by any replica, must be the only one ever applied there. */
export function checkCommittedNotLost(applies: readonly ApplyRecord[]): CommittedNotLostResult {
  const first = new Map<number, AppliedEntry>();
  const lostIndexes = new Set<number>();
  const violations: CommittedNotLostResult['violations'] = [];
  for (const a of inTimeOrder(applies)) {
    const applied = first.get(a.index);
    if (!applied) {
      first.set(a.index, entryOf(a));
      continue;
    }
    if (applied.digest === a.digest || lostIndexes.has(a.index)) continue;
    lostIndexes.add(a.index);
    if (violations.length < MAX_EXAMPLES) violations.push({ index: a.index, applied, replacedBy: entryOf(a) });
  }
  return { valid: lostIndexes.size === 0, indexesChecked: first.size, lost: lostIndexes.size, violations };
}

// Stable, so applies in the same microsecond keep their recorded order.
const inTimeOrder = (applies: readonly ApplyRecord[]): ApplyRecord[] => [...applies].sort((a, b) => a.tUs - b.tUs);

const entryOf = ({ node, tUs, term, digest }: ApplyRecord): AppliedEntry => ({ node, tUs, term, digest });
