// Messages one run delivered and another did not, ShiViz-style: within the same aligned
// window, the k-th message of a type on a link (src → dest) in one run is matched with the
// k-th of that type on that link in the other, and the pair is marked when their fates part.
import type { MessagePoint } from '../../../../core/api/contract.js';

const UNDELIVERED = new Set(['lost', 'partitioned', 'overflow', 'undeliverable', 'in-flight-at-end']);

export const delivered = (m: MessagePoint) => m[5] !== null && !UNDELIVERED.has(m[6]);

function byLink(messages: readonly MessagePoint[], fromMs: number): Map<string, MessagePoint[]> {
  const links = new Map<string, MessagePoint[]>();
  for (const m of messages) {
    // Only messages sent in the window: those sent before it are cut differently in each run.
    if (m[4] < fromMs || m[8] != null) continue;
    const key = `${m[1]}>${m[2]}:${m[3]}`;
    let list = links.get(key);
    if (!list) links.set(key, (list = []));
    list.push(m);
  }
  return links;
}

/**
 * Ids of the messages whose fate differs from their match, in each run. `windows[i]` holds
 * run i's messages in send order, and `fromMs[i]` where its (aligned) window starts.
 * Every run is matched against the first; the first is marked where any other differs.
 */
export function fateDifferences(windows: ReadonlyArray<readonly MessagePoint[]>, fromMs: readonly number[]): Array<Set<number>> {
  const marked = windows.map(() => new Set<number>());
  if (windows.length < 2) return marked;
  const base = byLink(windows[0], fromMs[0]);
  for (let r = 1; r < windows.length; r++) {
    const other = byLink(windows[r], fromMs[r]);
    for (const [key, mine] of base) {
      const theirs = other.get(key);
      if (!theirs) continue;
      const n = Math.min(mine.length, theirs.length);
      for (let k = 0; k < n; k++) {
        if (delivered(mine[k]) === delivered(theirs[k])) continue;
        marked[0].add(mine[k][0]);
        marked[r].add(theirs[k][0]);
      }
    }
  }
  return marked;
}
