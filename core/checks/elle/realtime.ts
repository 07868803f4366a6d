// Real-time order without quadratic edges: each item gets an edge from the items in the
// frontier when it is invoked, where the frontier holds the completed items that no other
// completed item follows in real time. Every "a completed before b was invoked" is then a path.
export interface Timed {
  invokeUs: number;
  /** Null when it never completed: it can follow others but precedes nothing. */
  completeUs: number | null;
}

export function realtimeEdges(items: readonly Timed[], emit: (before: number, after: number) => void): void {
  // Event 2i is item i's invocation, 2i + 1 its completion; invocations sort before
  // completions at the same instant (such ops overlap). Typed arrays: histories are big.
  const time = new Float64Array(2 * items.length);
  const events = new Int32Array(2 * items.length);
  let count = 0;
  items.forEach((it, i) => {
    time[2 * i] = it.invokeUs;
    events[count++] = 2 * i;
    if (it.completeUs === null) return;
    time[2 * i + 1] = it.completeUs;
    events[count++] = 2 * i + 1;
  });
  const sorted = events.subarray(0, count).sort((a, b) => time[a] - time[b] || (a & 1) - (b & 1) || a - b);
  const frontier: number[] = [];
  for (const event of sorted) {
    const i = event >>> 1;
    if ((event & 1) === 0) {
      for (const f of frontier) emit(f, i);
      continue;
    }
    // Completed items that finished before this one began now reach the future through it.
    const invoked = items[i].invokeUs;
    let kept = 0;
    for (const f of frontier) if ((items[f].completeUs as number) >= invoked) frontier[kept++] = f;
    frontier.length = kept;
    frontier.push(i);
  }
}
