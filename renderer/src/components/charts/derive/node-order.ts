// Node ids sorted the way people count them: n2 before n10, nodes before clients.

const ID = /^([^\d]*)(\d*)$/;

export function compareNodeIds(a: string, b: string): number {
  const ma = ID.exec(a);
  const mb = ID.exec(b);
  if (!ma || !mb) return a < b ? -1 : a > b ? 1 : 0;
  const rank = (prefix: string) => (prefix === 'n' ? 0 : prefix === 'c' ? 2 : 1);
  if (ma[1] !== mb[1]) return rank(ma[1]) - rank(mb[1]) || (ma[1] < mb[1] ? -1 : 1);
  return Number(ma[2] || 0) - Number(mb[2] || 0);
}

export function sortNodeIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort(compareNodeIds);
}

const clientIds = new Map<string, boolean>();
/**
 * Is this id a client (c1…) rather than one of the experiment's nodes (n1…)? Asked for
 * every message of every frame: ids are few, so each is tested once.
 */
export function isClientId(id: string): boolean {
  let known = clientIds.get(id);
  if (known === undefined) {
    known = /^c\d+$/.test(id);
    if (clientIds.size < 10_000) clientIds.set(id, known);
  }
  return known;
}
