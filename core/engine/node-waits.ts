// What the engine waits for from each node while it comes up: its connection to the switch,
// then its init_ok. Each wait ends exactly once: answered, failed (the node exited), timed out,
// or superseded by a newer wait for the same node (a restart while it was still coming up).
// A superseded wait that was never ended left bring-up waiting forever, and the run with it.
export class NodeWaits {
  private readonly pending = new Map<number, (ok: boolean) => void>();

  /** Resolves true when settled ok; false when settled not ok, superseded, or after `timeoutMs` (then `onTimeout` runs). */
  wait(address: number, timeoutMs: number, onTimeout: () => void): Promise<boolean> {
    this.settle(address, false);
    return new Promise<boolean>((resolve) => {
      const end = (ok: boolean) => {
        clearTimeout(timer);
        if (this.pending.get(address) === end) this.pending.delete(address);
        resolve(ok);
      };
      const timer = setTimeout(() => {
        end(false);
        onTimeout();
      }, timeoutMs);
      this.pending.set(address, end);
    });
  }

  /** Ends the node's wait, if it has one; true when it had. */
  settle(address: number, ok: boolean): boolean {
    const end = this.pending.get(address);
    end?.(ok);
    return end !== undefined;
  }

  has(address: number): boolean {
    return this.pending.has(address);
  }
}
