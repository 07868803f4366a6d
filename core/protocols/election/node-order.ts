// Node ids compare by their number (n10 > n9), which is what "the highest id wins" means
// to a reader of the cluster diagram; ids without a number fall back to text order.

const numberOf = (id: string): number | null => {
  const match = /(\d+)$/.exec(id);
  return match ? Number(match[1]) : null;
};

/** Negative when a ranks below b, positive when above, 0 when equal. */
export function compareNodeIds(a: string, b: string): number {
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== null && nb !== null && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export const ranksAbove = (a: string, b: string): boolean => compareNodeIds(a, b) > 0;
