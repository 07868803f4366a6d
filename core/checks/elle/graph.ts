// The dependency graph between transactions: one edge per (dependency, key), kinds as bits
// so that searches can be restricted to some kinds. Parallel edges are kept: a cycle names
// the kind and key of each edge it took. Edges live in growable typed arrays: a big history
// has millions.
import type { TxnKey } from './txn.js';

export const WW = 1;
export const WR = 2;
export const RW = 4;
export const REALTIME = 8;
export const DATA_EDGES = WW | WR | RW;

export type EdgeKind = 'ww' | 'wr' | 'rw' | 'realtime';
export function kindName(kind: number): EdgeKind {
  return kind === WW ? 'ww' : kind === WR ? 'wr' : kind === RW ? 'rw' : 'realtime';
}

export class DependencyGraph {
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  kind = new Uint8Array(1024);
  /** Index into `keys`, or -1 for real-time edges. */
  private keyOf = new Int32Array(1024);
  private readonly keys: TxnKey[] = [];
  private readonly keyIndex = new Map<TxnKey, number>();
  edges = 0;
  /** Out-edges of node i: edge ids edgeIds[offsets[i] .. offsets[i+1]), after freeze(). */
  offsets = new Int32Array(0);
  edgeIds = new Int32Array(0);

  constructor(readonly size: number) {}

  add(a: number, b: number, kind: number, key: TxnKey | null): void {
    if (a === b) return;
    if (this.edges === this.from.length) this.grow();
    const e = this.edges++;
    this.from[e] = a;
    this.to[e] = b;
    this.kind[e] = kind;
    this.keyOf[e] = key === null ? -1 : this.intern(key);
  }

  key(e: number): TxnKey | null {
    return this.keyOf[e] < 0 ? null : this.keys[this.keyOf[e]];
  }

  freeze(): void {
    const offsets = new Int32Array(this.size + 1);
    for (let e = 0; e < this.edges; e++) offsets[this.from[e] + 1]++;
    for (let i = 0; i < this.size; i++) offsets[i + 1] += offsets[i];
    const fill = offsets.slice(0, this.size);
    const edgeIds = new Int32Array(this.edges);
    for (let e = 0; e < this.edges; e++) edgeIds[fill[this.from[e]]++] = e;
    this.offsets = offsets;
    this.edgeIds = edgeIds;
  }

  private intern(key: TxnKey): number {
    let i = this.keyIndex.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.keys.push(key);
      this.keyIndex.set(key, i);
    }
    return i;
  }

  private grow(): void {
    const bigger = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.from = bigger(this.from);
    this.to = bigger(this.to);
    this.kind = bigger(this.kind);
    this.keyOf = bigger(this.keyOf);
  }
}
