// Seeded pseudo-random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counting
// generator, no known PractRand failures) on 32-bit integer arithmetic.
// Every consumer gets its own named stream, hashed together with the experiment
// seed, so adding draws to one link never shifts the sequence of another.

export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution (one generator step). */
  next(): number;
  /** Uniform integer in [0, maxExclusive), unbiased; maxExclusive is an integer in [1, 2^32]. */
  int(maxExclusive: number): number;
  /** Standard normal N(0, 1) (Box–Muller, always two steps). */
  normal(): number;
  /** Exponential with the given mean (one step); never negative. */
  exponential(mean: number): number;
  /** A uniformly chosen element; throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
}

const TWO_POW_32 = 4294967296;
const TWO_PI = 2 * Math.PI;

/** The seed's float64 bits are hashed, so any finite number (also beyond 2^32) is a distinct seed. */
export function createRng(seed: number, stream: string): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`rng seed must be a finite number, got ${seed}`);
  const state = hashSeedAndStream(seed, stream);
  return new Sfc32(state[0], state[1], state[2], state[3]);
}

class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // The reference implementation discards the first outputs so a weak seed cannot show.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** What a protocol state that holds a generator shows as JSON (the stepping inspector): its four words mean nothing to a reader and change on every draw. */
  toJSON(): string {
    return 'seeded random stream';
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  int(maxExclusive: number): number {
    if (!(maxExclusive >= 1 && maxExclusive <= TWO_POW_32) || maxExclusive % 1 !== 0) {
      throw new RangeError(`int() needs an integer in [1, 2^32], got ${maxExclusive}`);
    }
    // Reject the top partial block of 2^32 so every residue is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % maxExclusive);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % maxExclusive;
  }

  normal(): number {
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const u1 = 1 - this.next();
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
  }

  exponential(mean: number): number {
    // log(1/u) with u in (0, 1] is in [0, 22.2]: finite and never -0.
    return mean * Math.log(1 / (1 - this.next()));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[this.int(items.length)];
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

/**
 * 128 bits of generator state from the seed and the stream name: a cyrb128-style
 * four-lane multiply–xor hash over the seed's two 32-bit words, the name's UTF-16
 * units and its length, then each lane whitened through splitmix32.
 */
function hashSeedAndStream(seed: number, stream: string): [number, number, number, number] {
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, seed === 0 ? 0 : seed, true); // one seed for 0 and -0
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  const mix = (k: number): void => {
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  };
  mix(bits.getUint32(0, true));
  mix(bits.getUint32(4, true));
  for (let i = 0; i < stream.length; i++) mix(stream.charCodeAt(i));
  mix(stream.length);
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [splitmix32(h1), splitmix32(h2), splitmix32(h3), splitmix32(h4)];
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}
