// The Lamport clock and vector clock a node keeps for the space-time diagram. The runtime
// ticks them on every send, receive and event, and stamps them on every message it sends.
export type VectorClock = Record<string, number>;

export class LogicalClocks {
  lamport = 0;
  readonly vector: VectorClock = {};

  constructor(private readonly self: string) {}

  /** A local event or a send: both clocks tick. */
  tick(): void {
    this.lamport++;
    this.vector[this.self] = (this.vector[this.self] ?? 0) + 1;
  }

  /** A receive: take the maximum of both clocks with the message's, then tick. */
  receive(lamport: unknown, vector: unknown): void {
    if (typeof lamport === 'number' && lamport > this.lamport) this.lamport = lamport;
    if (vector && typeof vector === 'object') {
      // for...in, not Object.entries: no array per entry on every message received.
      const theirs = vector as VectorClock;
      for (const node in theirs) {
        const value = theirs[node];
        if (typeof value === 'number' && value > (this.vector[node] ?? 0)) this.vector[node] = value;
      }
    }
    this.tick();
  }

  snapshot(): VectorClock {
    return { ...this.vector };
  }
}
