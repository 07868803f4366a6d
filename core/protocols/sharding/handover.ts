// What one node does with its keys when the membership changes. The key's old owner sends
// it to every new holder (owner or replica) other than itself, so each key is sent once,
// by the one node that surely has its latest value; every old member sends each new member
// one hand-over message, empty or not, so a new owner knows when nothing more is coming.
// A node then drops the keys it no longer holds.
import { keyText } from './hash.js';
import { holdersOf, type Placement } from './placement.js';
import type { ShardEntry, ShardStore } from './shard-store.js';

export interface HandoverPlan {
  /** New member → the entries this node sends it (every new member but this node, maybe empty). */
  batches: Map<string, ShardEntry[]>;
  /** Keys this node owned before the change. */
  owned: number;
  /** Of those, the keys whose owner changed. */
  moved: number;
}

export function planHandover(self: string, before: Placement, after: Placement, store: ShardStore): HandoverPlan {
  const batches = new Map<string, ShardEntry[]>();
  const wasMember = before.members.includes(self);
  if (wasMember) for (const member of after.members) if (member !== self) batches.set(member, []);
  let owned = 0;
  let moved = 0;
  for (const entry of store.values()) {
    const oldHolders = holdersOf(before, entry.key);
    if (oldHolders[0] !== self) continue;
    owned++;
    const newHolders = holdersOf(after, entry.key);
    if (newHolders[0] !== self) moved++;
    if (sameHolders(oldHolders, newHolders)) continue;
    for (const holder of newHolders) if (holder !== self) batches.get(holder)?.push(entry);
  }
  return { batches, owned, moved };
}

/** Drops the keys this node no longer holds under the new placement. */
export function dropKeysNotHeld(self: string, after: Placement, store: ShardStore): void {
  for (const entry of [...store.values()]) if (!holdersOf(after, entry.key).includes(self)) store.delete(keyText(entry.key));
}

const sameHolders = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((node, i) => node === b[i]);
