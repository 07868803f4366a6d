// Stale reads in a key-value history, judged from the history alone, so that every store
// (Raft, primary-backup, quorums, a user's node) is measured the same way. A read is stale
// when writes to its key, acknowledged before the read began and surely newer than the value
// it returned, were missed; how many of them is how many versions behind it was.
import type { HistoryOp } from '../checks/history.js';

export interface StaleRead {
  id: number;
  /** When the read was invoked, µs since the run's start. */
  tUs: number;
  node: string;
  key: string;
  /** Acknowledged writes the read missed. */
  behind: number;
}

export interface StaleReads {
  /** Reads answered ok. */
  reads: number;
  stale: StaleRead[];
  maxBehind: number;
}

interface Write {
  value: unknown;
  invokeUs: number;
  /** Acknowledged writes only; null for a write of unknown outcome. */
  completeUs: number | null;
}

/** The reads, writes and compare-and-sets of a lin-kv history (written values are unique). */
export function findStaleReads(history: readonly HistoryOp[]): StaleReads {
  const writesByKey = new Map<string, Write[]>();
  const writerOf = new Map<string, Write>();
  for (const op of history) {
    if (op.outcome === 'fail') continue;
    const value = op.f === 'write' ? op.detail.value : op.f === 'cas' ? op.detail.to : undefined;
    if (value === undefined) continue;
    const key = String(op.detail.key);
    const write: Write = { value, invokeUs: op.invokeUs, completeUs: op.outcome === 'ok' ? op.completeUs : null };
    const list = writesByKey.get(key) ?? [];
    list.push(write);
    writesByKey.set(key, list);
    writerOf.set(valueKey(key, value), write);
  }

  let reads = 0;
  let maxBehind = 0;
  const stale: StaleRead[] = [];
  for (const op of history) {
    if (op.f !== 'read' || op.outcome !== 'ok' || op.detail.final === true) continue;
    reads++;
    const key = String(op.detail.key);
    const value = op.detail.value ?? null;
    // Writes surely after the one read: invoked once it had been acknowledged. A read of a
    // value nobody wrote is for the linearizability check, not a matter of age.
    const writer = value === null ? null : writerOf.get(valueKey(key, value));
    if (value !== null && !writer) continue;
    const after = writer === null ? -Infinity : (writer?.completeUs ?? Infinity);
    let behind = 0;
    for (const w of writesByKey.get(key) ?? []) {
      if (w.completeUs !== null && w.completeUs < op.invokeUs && w.invokeUs > after) behind++;
    }
    if (behind === 0) continue;
    stale.push({ id: op.id, tUs: op.invokeUs, node: op.node, key, behind });
    maxBehind = Math.max(maxBehind, behind);
  }
  return { reads, stale, maxBehind };
}

const valueKey = (key: string, value: unknown) => `${key}\u0000${JSON.stringify(value)}`;
