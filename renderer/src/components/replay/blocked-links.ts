// The directed links blocked at the replay cursor, as the topology draws cut links: those the
// run recorded with its last network fault, or else those the partition and the cuts imply.
import type { FoldedNetwork } from '../../../../core/analysis/state-fold.js';

export function blockedLinks(network: FoldedNetwork, nodes: readonly string[]): Array<[string, string]> {
  if (network.blocked) return network.blocked;
  const out: Array<[string, string]> = [];
  const groupOf = new Map<string, number>();
  network.partitions[0]?.forEach((group, i) => group.forEach((n) => groupOf.set(n, i)));
  if (groupOf.size > 0) {
    for (const a of nodes) for (const b of nodes) if (a !== b && groupOf.has(a) && groupOf.has(b) && groupOf.get(a) !== groupOf.get(b)) out.push([a, b]);
  }
  for (const cut of network.cutLinks) if (!out.some(([a, b]) => a === cut[0] && b === cut[1])) out.push(cut);
  return out;
}
