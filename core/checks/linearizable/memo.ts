// Lowe's memoisation for the linearizability search: the (set of linearized operations,
// model state) configurations already explored, so that no configuration is explored twice.
import type { RegisterValue } from './register.js';

export class OpSet {
  readonly words: Uint32Array;
  /** An incremental Zobrist hash: the xor of the random tags of the members. */
  hash = 0;
  constructor(size: number, private readonly tags: Int32Array) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }
  add(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
    this.hash ^= this.tags[i];
  }
  remove(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
    this.hash ^= this.tags[i];
  }
  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }
}

/** Random 32-bit tags, seeded so that a search explores in the same order every time. */
export function zobristTags(count: number, seed = 0x9e3779b9): Int32Array {
  const tags = new Int32Array(count);
  let x = seed | 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    tags[i] = x;
  }
  return tags;
}

function hashValue(v: RegisterValue): number {
  const s = typeof v === 'string' ? `s${v}` : String(v);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

export class ConfigurationCache {
  private readonly buckets = new Map<number, Array<{ words: Uint32Array; state: RegisterValue }>>();
  size = 0;

  /** Adds the configuration; false when it was already there. */
  addIfNew(set: OpSet, state: RegisterValue): boolean {
    const key = (set.hash ^ hashValue(state)) | 0;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = []));
    for (const seen of bucket) if (seen.state === state && sameWords(seen.words, set.words)) return false;
    bucket.push({ words: set.words.slice(), state });
    this.size++;
    return true;
  }
}

function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
