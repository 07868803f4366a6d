// lww-kv: several independent replicas of a key-value store, weak on purpose as Maelstrom's
// is. Each request goes to a random replica; a change is stamped with that replica's
// Lamport clock. Now and then (gossip) each replica merges a random other one into itself,
// keeping per key the value with the highest stamp (ties broken by replica), so replicas
// converge once changes stop, and in between a read may miss writes, and a cas may succeed
// on a replica that has not seen the write that overtook it.
import type { Body } from '../sdk/protocol.js';
import type { Rng } from '../engine/prng.js';
import { applyKv, isKvRequest, keyOf, parseKvRequest } from './kv-request.js';
import type { Service } from './service.js';

export const DEFAULT_LWW_REPLICAS = 5;

interface Stamped {
  ts: number;
  replica: number;
  value: unknown;
}

interface Replica {
  clock: number;
  values: Map<string, Stamped>;
}

export class LwwKv implements Service {
  private readonly replicas: Replica[];

  constructor(
    private readonly rng: Rng,
    replicaCount = DEFAULT_LWW_REPLICAS,
  ) {
    this.replicas = Array.from({ length: replicaCount }, () => ({ clock: 0, values: new Map() }));
  }

  handle(_client: string, body: Body): Body {
    const request = parseKvRequest('lww-kv', body);
    if (!isKvRequest(request)) return request;
    const index = this.rng.int(this.replicas.length);
    const replica = this.replicas[index];
    const key = keyOf(request);
    const stamped = replica.values.get(key);
    const outcome = applyKv(request, stamped ? { exists: true, value: stamped.value } : { exists: false });
    if (outcome.write) replica.values.set(key, { ts: ++replica.clock, replica: index, value: outcome.write.value });
    return outcome.reply;
  }

  /** One round of gossip: every replica merges one other, chosen at random, into itself. */
  gossip(): void {
    const n = this.replicas.length;
    if (n < 2) return;
    const pulls = this.replicas.map((_, i) => (i + 1 + this.rng.int(n - 1)) % n);
    // Pull from a snapshot of the round's start, so that the order of merges does not matter.
    const before = this.replicas.map((r) => ({ clock: r.clock, values: new Map(r.values) }));
    pulls.forEach((from, into) => merge(this.replicas[into], before[from]));
  }

  /** Whether every replica holds the same values: true once gossip has caught up. */
  converged(): boolean {
    const first = this.replicas[0].values;
    return this.replicas.every((r) => r.values.size === first.size && [...r.values].every(([key, s]) => first.get(key)?.ts === s.ts && first.get(key)?.replica === s.replica));
  }
}

function merge(into: Replica, from: Replica): void {
  into.clock = Math.max(into.clock, from.clock);
  for (const [key, theirs] of from.values) {
    const ours = into.values.get(key);
    if (!ours || newer(theirs, ours)) into.values.set(key, theirs);
  }
}

function newer(a: Stamped, b: Stamped): boolean {
  return a.ts > b.ts || (a.ts === b.ts && a.replica > b.replica);
}
