// Where a key lives: hash the key onto the ordered ring of nodes and take the next N
// distinct nodes (its preference list); the nodes after them stand in for unreachable
// ones in a sloppy quorum.

/** FNV-1a (32 bit) of the key's JSON: stable across processes and runs. */
export function keyHash(key: unknown): number {
  const text = JSON.stringify(key ?? null);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Every node, in ring order from the key's position: the first N are its replicas. */
export function ringFrom(key: unknown, nodes: readonly string[]): string[] {
  const start = keyHash(key) % nodes.length;
  return [...nodes.slice(start), ...nodes.slice(0, start)];
}

export interface Placement {
  /** The key's N home replicas. */
  preferred: string[];
  /** The others, in the order a sloppy quorum asks them. */
  fallbacks: string[];
}

/** The coordinator asks itself first among the fallbacks: it is surely reachable. */
export function placement(key: unknown, nodes: readonly string[], replicas: number, coordinator: string): Placement {
  const ring = ringFrom(key, nodes);
  const preferred = ring.slice(0, replicas);
  const rest = ring.slice(replicas);
  const fallbacks = rest.includes(coordinator) ? [coordinator, ...rest.filter((n) => n !== coordinator)] : rest;
  return { preferred, fallbacks };
}

/** Nodes ordered as n1, n2, …, n10 (numerically), so every node builds the same ring. */
export function ringOrder(nodes: readonly string[]): string[] {
  const num = (n: string) => Number(n.replace(/^\D+/, ''));
  return [...nodes].sort((a, b) => num(a) - num(b) || (a < b ? -1 : a > b ? 1 : 0));
}
