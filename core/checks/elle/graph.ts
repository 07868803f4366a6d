// The dependency graph between transactions: one edge per (dependency, key), kinds as bits
// so that searches can be restricted to some kinds. Parallel edges are kept: a cycle names
// the kind and key of each edge it took.
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
  readonly from: number[] = [];
  readonly to: number[] = [];
  readonly kind: number[] = [];
  readonly key: Array<string | null> = [];
  /** Out-edges of node i: edge ids edgeIds[offsets[i] .. offsets[i+1]), after freeze(). */
  offsets = new Int32Array(0);
  edgeIds = new Int32Array(0);

  constructor(readonly size: number) {}

  add(a: number, b: number, kind: number, key: string | null): void {
    if (a === b) return;
    this.from.push(a);
    this.to.push(b);
    this.kind.push(kind);
    this.key.push(key);
  }

  get edges(): number {
    return this.from.length;
  }

  freeze(): void {
    const offsets = new Int32Array(this.size + 1);
    for (const a of this.from) offsets[a + 1]++;
    for (let i = 0; i < this.size; i++) offsets[i + 1] += offsets[i];
    const fill = offsets.slice(0, this.size);
    const edgeIds = new Int32Array(this.from.length);
    for (let e = 0; e < this.from.length; e++) edgeIds[fill[this.from[e]]++] = e;
    this.offsets = offsets;
    this.edgeIds = edgeIds;
  }
}
