// Linearizability of a lin-kv history, one key at a time (P-compositionality: a history is
// linearizable iff each key's sub-history is), by the search in ./linearizable/search.ts.
import type { HistoryOp } from './history.js';
import { registerOpOf, shownValue, type RegisterOp } from './linearizable/register.js';
import { MAX_CONFIGURATIONS, searchLinearization, type TimedOp } from './linearizable/search.js';

export interface LinearizabilityOptions {
  /** Time the whole search may take before the verdict is `unknown`; 5 s by default. */
  budgetMs?: number;
}

/** An operation as the findings show it, enough to draw a per-client timeline. */
export interface OpView {
  id: number;
  client: string;
  node: string;
  f: string;
  outcome: HistoryOp['outcome'];
  invokeUs: number;
  completeUs: number | null;
  value?: unknown;
  from?: unknown;
  to?: unknown;
}

export interface NonLinearizableKey {
  key: string;
  /** The smallest prefix that cannot be linearized ends at the blocking op's completion. */
  prefix: { operations: number; endsAtUs: number };
  /** No linearization of what came before could make room for this op. */
  blockingOp: OpView;
  /** The blocking op, the ops pending at the furthest point, and the last ones linearized. */
  operations: OpView[];
  /** Involved ops left out of `operations` (unknown ops pending since long before, in a long history). */
  operationsOmitted: number;
  /** The furthest the search got: the register's value there, how many ops were linearized, and the last of them (ids, most recent last). */
  lastStates: Array<{ value: unknown; linearizedCount: number; lastLinearized: number[] }>;
}

export interface LinearizabilityResult {
  valid: boolean;
  /** Printers show `unknown` (not valid) when the search gave up. */
  verdict: 'valid' | 'invalid' | 'unknown';
  reason?: string;
  keys: number;
  /** Operations the search considered (definite failures, and reads with unknown outcomes, constrain nothing). */
  operations: number;
  searchSteps: number;
  invalidKeys: string[];
  gaveUpKeys: string[];
  /** The first key found not linearizable. */
  failure?: NonLinearizableKey;
}

export const DEFAULT_LINEARIZABILITY_BUDGET_MS = 5000;
/** Linearized ops shown before the furthest point of each partial linearization. */
const LAST_LINEARIZED_SHOWN = 5;
/** Ops shown as involved at most: those invoked last (nearest the failure), and the blocking op. */
const INVOLVED_SHOWN = 50;

export function checkLinearizability(history: readonly HistoryOp[], options: LinearizabilityOptions = {}): LinearizabilityResult {
  const budgetMs = options.budgetMs ?? DEFAULT_LINEARIZABILITY_BUDGET_MS;
  if (!(budgetMs > 0)) throw new Error(`linearizability budgetMs must be a positive number of milliseconds, not ${budgetMs}`);
  const deadline = performance.now() + budgetMs;
  const byKey = new Map<string, Array<{ timed: TimedOp; source: HistoryOp }>>();
  let operations = 0;
  for (const h of history) {
    const keyed = registerOpOf(h);
    if (!keyed) continue;
    operations++;
    const returnUs = keyed.completed ? (h.completeUs ?? Infinity) : Infinity;
    const ops = byKey.get(keyed.key) ?? [];
    ops.push({ timed: { op: keyed.op, callUs: h.invokeUs, returnUs }, source: h });
    byKey.set(keyed.key, ops);
  }

  const result: LinearizabilityResult = { valid: true, verdict: 'valid', keys: byKey.size, operations, searchSteps: 0, invalidKeys: [], gaveUpKeys: [] };
  let outOfMemory = false;
  for (const [key, ops] of byKey) {
    const found = searchLinearization(ops.map((o) => o.timed), deadline);
    result.searchSteps += found.steps;
    if (found.result === 'gave-up') {
      result.gaveUpKeys.push(key);
      if (found.why === 'memory') outOfMemory = true;
    }
    if (found.result !== 'not-linearizable') continue;
    result.invalidKeys.push(key);
    if (result.failure) continue;
    const sources = ops.map((o) => o.source);
    const blocking = sources[found.blockingOp];
    const endsAtUs = ops[found.blockingOp].timed.returnUs;
    const inPrefix = ops.map((o, i) => (o.timed.callUs <= endsAtUs ? i : -1)).filter((i) => i >= 0);
    const involved = new Set<number>([found.blockingOp]);
    for (const partial of found.furthest) {
      const done = new Set(partial.order);
      for (const i of inPrefix) if (!done.has(i)) involved.add(i);
      for (const i of partial.order.slice(-LAST_LINEARIZED_SHOWN)) involved.add(i);
    }
    result.failure = {
      key,
      prefix: { operations: inPrefix.length, endsAtUs },
      blockingOp: opView(blocking, ops[found.blockingOp].timed.op),
      operations: nearest([...involved], found.blockingOp, (i) => ops[i].timed.callUs).map((i) => opView(sources[i], ops[i].timed.op)),
      operationsOmitted: Math.max(0, involved.size - INVOLVED_SHOWN),
      lastStates: found.furthest.map((p) => ({ value: shownValue(p.state), linearizedCount: p.order.length, lastLinearized: p.order.slice(-LAST_LINEARIZED_SHOWN).map((i) => sources[i].id) })),
    };
  }
  if (result.invalidKeys.length) Object.assign(result, { valid: false, verdict: 'invalid' });
  else if (result.gaveUpKeys.length) Object.assign(result, { verdict: 'unknown', reason: `gave up ${outOfMemory ? `after ${MAX_CONFIGURATIONS.toLocaleString('en-US')} configurations of one key` : `after ${formatSeconds(budgetMs)} s`} (${result.gaveUpKeys.length} of ${byKey.size} keys undecided)` });
  return result;
}

/** The blocking op and the ops invoked last, in invocation order, INVOLVED_SHOWN at most. */
function nearest(involved: number[], blocking: number, callUs: (i: number) => number): number[] {
  const byCall = involved.sort((a, b) => callUs(a) - callUs(b) || a - b);
  if (byCall.length <= INVOLVED_SHOWN) return byCall;
  const last = byCall.filter((i) => i !== blocking).slice(-(INVOLVED_SHOWN - 1));
  return [blocking, ...last].sort((a, b) => callUs(a) - callUs(b) || a - b);
}

function opView(h: HistoryOp, op: RegisterOp): OpView {
  const view: OpView = { id: h.id, client: h.client, node: h.node, f: h.f, outcome: h.outcome, invokeUs: h.invokeUs, completeUs: h.completeUs };
  if (op.kind === 'cas') Object.assign(view, { from: shownValue(op.from), to: shownValue(op.to) });
  else view.value = shownValue(op.value);
  return view;
}

function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
