// Real-time order without quadratic edges: each item gets an edge from the items in the
// frontier when it is invoked, where the frontier holds the completed items that no other
// completed item follows in real time. Every "a completed before b was invoked" is then a path.
export interface Timed {
  invokeUs: number;
  /** Null when it never completed: it can follow others but precedes nothing. */
  completeUs: number | null;
}

export function realtimeEdges(items: readonly Timed[], emit: (before: number, after: number) => void): void {
  // Invocations sort before completions at the same instant: such ops overlap.
  const events: Array<[t: number, kind: 0 | 1, i: number]> = [];
  items.forEach((it, i) => {
    events.push([it.invokeUs, 0, i]);
    if (it.completeUs !== null) events.push([it.completeUs, 1, i]);
  });
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  let frontier: number[] = [];
  for (const [, kind, i] of events) {
    if (kind === 0) {
      for (const f of frontier) emit(f, i);
    } else {
      const invoked = items[i].invokeUs;
      frontier = frontier.filter((f) => (items[f].completeUs as number) >= invoked);
      frontier.push(i);
    }
  }
}
