// Where keys and virtual nodes sit on the ring: a stable 32-bit hash of their text. FNV-1a
// alone gives names that differ in their last character ("n1#0", "n1#1") positions in a
// regular pattern, so its result goes through murmur3's finalizer, which spreads every
// input bit over the whole word. Shared by the nodes, the analysis and the ring view.

/** FNV-1a of the text, mixed by murmur3's fmix32: an unsigned 32-bit position. */
export function ringHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Keys are told apart by their JSON, so 1 and "1" are different keys, as in the store. */
export const keyText = (key: unknown): string => JSON.stringify(key ?? null);

export const keyPosition = (key: unknown): number => ringHash(keyText(key));

/** The position of a node's i-th virtual node. */
export const vnodePosition = (node: string, i: number): number => ringHash(`${node}#${i}`);

/** The whole ring's size: positions run from 0 to 2^32 − 1. */
export const RING_SIZE = 2 ** 32;
