// Versions of a key's value. `lww` stamps each write (counter, writer): one total order, so
// a replica keeps one value. `vector` stamps it with a vector clock: writes that did not see
// each other are concurrent, and a replica keeps both as siblings until a later write,
// which has seen them, supersedes them. Never wall time: node clocks are skewed.
export type VectorClock = Record<string, number>;

export interface Version {
  /** lww: the write's counter; vector: the sum of the clock, which grows along causality. */
  counter: number;
  /** The coordinator that made the write. */
  node: string;
  /** Vector versioning only. */
  clock?: VectorClock;
}

export interface Sibling {
  value: unknown;
  version: Version;
}

export type Versioning = 'vector' | 'lww';

const clockText = (clock: VectorClock | undefined): string =>
  clock ? JSON.stringify(Object.keys(clock).sort().map((node) => [node, clock[node]])) : '';

/**
 * A total order of versions that extends causality (a clock that dominates another has a
 * larger sum): ties broken by writer, then by the clock's text. Reads answer the greatest
 * sibling, so every coordinator picks the same value from the same siblings.
 */
export function compareVersions(a: Version, b: Version): number {
  if (a.counter !== b.counter) return a.counter - b.counter;
  if (a.node !== b.node) return a.node < b.node ? -1 : 1;
  const ta = clockText(a.clock);
  const tb = clockText(b.clock);
  return ta === tb ? 0 : ta < tb ? -1 : 1;
}

export const sameVersion = (a: Version, b: Version): boolean => compareVersions(a, b) === 0;

/** `a` has seen everything `b` has, and more (lww: `a` is simply later). */
export function supersedes(a: Version, b: Version): boolean {
  if (!a.clock || !b.clock) return compareVersions(a, b) > 0;
  let greater = false;
  for (const node of new Set([...Object.keys(a.clock), ...Object.keys(b.clock)])) {
    const x = a.clock[node] ?? 0;
    const y = b.clock[node] ?? 0;
    if (x < y) return false;
    if (x > y) greater = true;
  }
  return greater;
}

/** The siblings of both sets that nothing else supersedes, each once, greatest first. */
export function mergeSiblings(a: readonly Sibling[], b: readonly Sibling[]): Sibling[] {
  const all = [...a, ...b];
  const kept: Sibling[] = [];
  for (const s of all) {
    if (all.some((other) => supersedes(other.version, s.version))) continue;
    if (kept.some((k) => sameVersion(k.version, s.version))) continue;
    kept.push(s);
  }
  return kept.sort((x, y) => compareVersions(y.version, x.version));
}

/** The sibling a read answers: the greatest in the total order. */
export const newest = (siblings: readonly Sibling[]): Sibling | undefined =>
  siblings.reduce<Sibling | undefined>((best, s) => (!best || compareVersions(s.version, best.version) > 0 ? s : best), undefined);

/** Whether two sets hold the same versions. */
export function sameSiblings(a: readonly Sibling[], b: readonly Sibling[]): boolean {
  return a.length === b.length && a.every((s) => b.some((t) => sameVersion(s.version, t.version)));
}

/**
 * The version of a new write by `self` that has seen `context` (the siblings its query
 * phase found): greater than all of them. `lastIssued` is the writer's own last counter, so
 * two writes it coordinates at once still get different versions.
 */
export function nextVersion(versioning: Versioning, context: readonly Sibling[], self: string, lastIssued: number): { version: Version; issued: number } {
  if (versioning === 'lww') {
    const counter = Math.max(lastIssued, ...context.map((s) => s.version.counter)) + 1;
    return { version: { counter, node: self }, issued: counter };
  }
  const clock: VectorClock = {};
  for (const s of context) for (const [node, n] of Object.entries(s.version.clock ?? {})) clock[node] = Math.max(clock[node] ?? 0, n);
  const issued = Math.max(lastIssued, clock[self] ?? 0) + 1;
  clock[self] = issued;
  return { version: { counter: Object.values(clock).reduce((sum, n) => sum + n, 0), node: self, clock }, issued };
}

/** How far `older` is behind `newer`, in versions (counter steps, or the clocks' sums). */
export const versionsBehind = (newer: Version, older: Version | undefined): number => Math.max(0, newer.counter - (older?.counter ?? 0));

/** A version as the inspector shows it: `3@n2`, or a vector clock `[n1:2 n2:1]`. */
export function versionText(v: Version): string {
  if (!v.clock) return `${v.counter}@${v.node}`;
  return `[${Object.keys(v.clock).sort().map((node) => `${node}:${v.clock![node]}`).join(' ')}]`;
}
