// Which directed links are blocked: partitions (replaced by each new partition) and
// one-way cuts (added up), both cleared by heal. Stored as flat matrices over addresses.
import type { PartitionPattern } from '../experiment/types.js';
import type { Rng } from './prng.js';

export class Topology {
  private partitioned: Uint8Array;
  private cut: Uint8Array;

  constructor(private size: number) {
    this.partitioned = new Uint8Array(size * size);
    this.cut = new Uint8Array(size * size);
  }

  /** Room for one more address (a node that joins), reachable from everyone until a fault says otherwise. */
  grow(): void {
    const old = this.size;
    const size = old + 1;
    const copy = (from: Uint8Array) => {
      const to = new Uint8Array(size * size);
      for (let a = 0; a < old; a++) to.set(from.subarray(a * old, (a + 1) * old), a * size);
      return to;
    };
    this.partitioned = copy(this.partitioned);
    this.cut = copy(this.cut);
    this.size = size;
  }

  isBlocked(src: number, dest: number): boolean {
    const i = src * this.size + dest;
    return this.partitioned[i] !== 0 || this.cut[i] !== 0;
  }

  /** Addresses in different groups cannot reach each other; unnamed addresses reach everyone. */
  partition(groups: number[][]): void {
    this.partitioned.fill(0);
    groups.forEach((group, g) => {
      groups.forEach((other, h) => {
        if (g === h) return;
        for (const a of group) for (const b of other) this.partitioned[a * this.size + b] = 1;
      });
    });
  }

  /** Blocks both directions between every pair for which `separated` says so. */
  partitionWhere(addresses: number[], separated: (a: number, b: number) => boolean): void {
    this.partitioned.fill(0);
    for (const a of addresses) for (const b of addresses) if (a !== b && separated(a, b)) this.partitioned[a * this.size + b] = 1;
  }

  cutOneWay(from: number[], to: number[]): void {
    for (const a of from) for (const b of to) if (a !== b) this.cut[a * this.size + b] = 1;
  }

  heal(): void {
    this.partitioned.fill(0);
    this.cut.fill(0);
  }

  /** Directed pairs currently blocked, for the UI and the record. */
  blockedPairs(): Array<[number, number]> {
    const pairs: Array<[number, number]> = [];
    for (let a = 0; a < this.size; a++)
      for (let b = 0; b < this.size; b++) if (this.isBlocked(a, b)) pairs.push([a, b]);
    return pairs;
  }
}

/** Resolves a Jepsen-style partition pattern over the node addresses into the topology. */
export function applyPartitionPattern(topology: Topology, pattern: PartitionPattern, nodes: number[], rng: Rng): number[][] {
  const order = rng.shuffle([...nodes]);
  const n = order.length;
  const majority = Math.floor(n / 2) + 1;
  switch (pattern) {
    case 'one': {
      const groups = [order.slice(0, 1), order.slice(1)];
      topology.partition(groups);
      return groups;
    }
    case 'majority': {
      const groups = [order.slice(0, majority), order.slice(majority)];
      topology.partition(groups);
      return groups;
    }
    case 'bridge': {
      // Two halves that only the bridge node (the first of the second half) joins.
      const half = Math.floor(n / 2);
      const left = order.slice(0, half);
      const bridge = order[half];
      const right = order.slice(half + 1);
      topology.partitionWhere(order, (a, b) => a !== bridge && b !== bridge && left.includes(a) !== left.includes(b));
      return [left, [bridge], right];
    }
    case 'leader':
      throw new Error('the leader pattern is resolved by the fault injector, which knows the leader');
    case 'majorities-ring': {
      // On a shuffled ring each node keeps its nearest neighbours, enough for a majority:
      // every node sees a majority, and no two see the same one.
      const reach = Math.max(1, Math.ceil((majority - 1) / 2));
      const position = new Map(order.map((address, i) => [address, i]));
      topology.partitionWhere(order, (a, b) => {
        const d = Math.abs(position.get(a)! - position.get(b)!);
        return Math.min(d, n - d) > reach;
      });
      return order.map((a) => order.filter((b) => {
        const d = Math.abs(position.get(a)! - position.get(b)!);
        return Math.min(d, n - d) <= reach;
      }));
    }
  }
}
