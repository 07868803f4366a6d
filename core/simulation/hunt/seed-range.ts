// The seeds a hunt runs: `A..B`, both ends included (`--seeds 1..10000`).

export interface SeedRange {
  from: number;
  to: number;
}

export class SeedRangeError extends Error {}

/** Parses `A..B`; an empty, reversed or malformed range is an error naming `field`. */
export function parseSeedRange(text: string, field = '--seeds'): SeedRange {
  if (!/\d/.test(text)) throw new SeedRangeError(`${field}: the range is empty; expected seeds like 1..1000 (both ends included), got "${text}"`);
  const match = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text);
  if (!match) throw new SeedRangeError(`${field}: expected a range of seeds like 1..1000 (both ends included), got "${text}"`);
  return checkSeedRange({ from: Number(match[1]), to: Number(match[2]) }, field, text);
}

/** A range whose ends are whole seeds from 0 to 2^53 - 1 and whose start is not after its end. */
export function checkSeedRange(range: SeedRange, field = '--seeds', shown = `${range.from}..${range.to}`): SeedRange {
  for (const end of [range.from, range.to]) {
    if (!Number.isSafeInteger(end) || end < 0) throw new SeedRangeError(`${field}: expected seeds from 0 to ${Number.MAX_SAFE_INTEGER}, got "${shown}"`);
  }
  if (range.to < range.from) throw new SeedRangeError(`${field}: the range "${shown}" is reversed, so it holds no seed; write ${range.to}..${range.from}`);
  return range;
}

export function seedCount(range: SeedRange): number {
  return range.to - range.from + 1;
}
