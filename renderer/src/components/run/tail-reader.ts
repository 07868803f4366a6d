// Reads only what was appended to a capped array since the last read. The run model
// drops old entries from the front, so positions shift; the last item seen is found again
// by identity (a backward search whose cost is the number of new items).

export class TailReader<T extends object> {
  private source: T[] | null = null;
  private last: T | undefined;

  /** True when `items` is not the array read last (another run): derived state is stale. */
  isNew(items: T[]): boolean {
    return items !== this.source;
  }

  /**
   * Visits each item appended since the previous call; all of them for a new array (check
   * `isNew` first to clear what was derived from the old one). Returns true for a new array.
   */
  read(items: T[], visit: (item: T) => void): boolean {
    const restarted = items !== this.source;
    let start = 0;
    if (!restarted && this.last !== undefined) {
      // Not found means everything seen was dropped: all that is left is new.
      start = items.lastIndexOf(this.last) + 1;
    }
    for (let i = start; i < items.length; i++) visit(items[i]);
    this.source = items;
    if (items.length > 0) this.last = items[items.length - 1];
    else if (restarted) this.last = undefined;
    return restarted;
  }
}
