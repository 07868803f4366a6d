// Causal delivery on a recorded run: at every node, each delivered message m comes after
// every broadcast m' whose vector clock happened before m's (V(m') < V(m)); no node
// delivers a broadcast twice; and (separately) every node delivers every broadcast.
import { happenedBefore, type VectorClock } from '../protocols/clocks/vector-clock.js';

export interface DeliveryRecord {
  node: string;
  origin: string;
  seq: number;
  vc: VectorClock;
  tUs: number;
}

export interface BroadcastRecord {
  origin: string;
  seq: number;
}

export type CausalViolation =
  | { kind: 'duplicate'; node: string; origin: string; seq: number; tUs: number }
  /** `node` delivered (origin, seq) although `missing`, which happened before it, was not delivered yet. */
  | { kind: 'out-of-order'; node: string; origin: string; seq: number; tUs: number; missing: BroadcastRecord };

export interface CausalResult {
  /** No duplicates and no out-of-order deliveries. */
  valid: boolean;
  /** Every broadcast delivered at every expected node. */
  complete: boolean;
  deliveries: number;
  duplicates: number;
  /** Deliveries with at least one causal predecessor not delivered before them. */
  outOfOrder: number;
  /** (broadcast, expected node) pairs never delivered. */
  missing: number;
  violations: CausalViolation[];
  missingExamples: Array<{ node: string; origin: string; seq: number }>;
}

const MAX_EXAMPLES = 10;

interface Known {
  key: string;
  origin: string;
  seq: number;
  vc: VectorClock;
}

export function checkCausalDelivery(
  deliveries: readonly DeliveryRecord[],
  broadcasts: readonly BroadcastRecord[],
  expectedNodes: readonly string[],
): CausalResult {
  const byOrigin = broadcastsByOrigin(deliveries);
  const violations: CausalViolation[] = [];
  const deliveredAt = new Map<string, Set<string>>();
  let duplicates = 0;
  let outOfOrder = 0;

  for (const [node, own] of deliveriesByNode(deliveries)) {
    const delivered = new Set<string>();
    deliveredAt.set(node, delivered);
    const prefix = new Map<string, number>(); // per origin: how much of its chain is delivered
    for (const d of own) {
      const key = keyOf(d.origin, d.seq);
      if (delivered.has(key)) {
        duplicates++;
        if (violations.length < MAX_EXAMPLES) violations.push({ kind: 'duplicate', node, origin: d.origin, seq: d.seq, tUs: d.tUs });
        continue;
      }
      const missing = firstMissingPredecessor(byOrigin, delivered, prefix, d.vc);
      if (missing) {
        outOfOrder++;
        const example = { kind: 'out-of-order' as const, node, origin: d.origin, seq: d.seq, tUs: d.tUs };
        if (violations.length < MAX_EXAMPLES) violations.push({ ...example, missing: { origin: missing.origin, seq: missing.seq } });
      }
      delivered.add(key);
    }
  }

  const missingExamples: CausalResult['missingExamples'] = [];
  let missing = 0;
  for (const b of broadcasts) {
    for (const node of expectedNodes) {
      if (deliveredAt.get(node)?.has(keyOf(b.origin, b.seq))) continue;
      missing++;
      if (missingExamples.length < MAX_EXAMPLES) missingExamples.push({ node, origin: b.origin, seq: b.seq });
    }
  }

  return {
    valid: duplicates === 0 && outOfOrder === 0,
    complete: missing === 0,
    deliveries: deliveries.length,
    duplicates,
    outOfOrder,
    missing,
    violations,
    missingExamples,
  };
}

interface OriginBroadcasts {
  /** Sorted by seq. */
  known: Known[];
  /** True when each one happened before the next, as a correct origin's broadcasts do. */
  chain: boolean;
}

function firstMissingPredecessor(
  byOrigin: Map<string, OriginBroadcasts>,
  delivered: Set<string>,
  prefix: Map<string, number>,
  vc: VectorClock,
): Known | undefined {
  for (const [origin, { known, chain }] of byOrigin) {
    if (!chain) {
      const gap = known.find((k) => happenedBefore(k.vc, vc) && !delivered.has(k.key));
      if (gap) return gap;
      continue;
    }
    // Along a chain the predecessors of m form a prefix, so it is enough to compare the
    // longest delivered prefix with the last predecessor (found by bisection).
    let done = prefix.get(origin) ?? 0;
    while (done < known.length && delivered.has(known[done].key)) done++;
    prefix.set(origin, done);
    const last = lastPredecessor(known, vc);
    if (done <= last) return known[done];
  }
  return undefined;
}

function lastPredecessor(chain: readonly Known[], vc: VectorClock): number {
  let lo = -1;
  let hi = chain.length - 1;
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if (happenedBefore(chain[mid].vc, vc)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// A broadcast's clock is taken from its first delivery record (all of them carry the same one).
function broadcastsByOrigin(deliveries: readonly DeliveryRecord[]): Map<string, OriginBroadcasts> {
  const seen = new Map<string, Known>();
  for (const d of deliveries) {
    const key = keyOf(d.origin, d.seq);
    if (!seen.has(key)) seen.set(key, { key, origin: d.origin, seq: d.seq, vc: d.vc });
  }
  const result = new Map<string, OriginBroadcasts>();
  for (const k of seen.values()) {
    const entry = result.get(k.origin) ?? { known: [], chain: true };
    entry.known.push(k);
    result.set(k.origin, entry);
  }
  for (const entry of result.values()) {
    entry.known.sort((a, b) => a.seq - b.seq);
    entry.chain = entry.known.every((k, i) => i === 0 || happenedBefore(entry.known[i - 1].vc, k.vc));
  }
  return result;
}

function deliveriesByNode(deliveries: readonly DeliveryRecord[]): Map<string, DeliveryRecord[]> {
  const byNode = new Map<string, DeliveryRecord[]>();
  for (const d of deliveries) {
    const list = byNode.get(d.node);
    if (list) list.push(d);
    else byNode.set(d.node, [d]);
  }
  // A stable sort keeps the recorded order of deliveries in the same microsecond.
  for (const list of byNode.values()) list.sort((a, b) => a.tUs - b.tUs);
  return byNode;
}

const keyOf = (origin: string, seq: number): string => `${origin}:${seq}`;
