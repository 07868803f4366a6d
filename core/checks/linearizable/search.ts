// Wing & Gong's search for a linearization, with Lowe's memoisation, over one key's history
// (after Porcupine's checkSingle). Calls and returns sit in one time-ordered linked list; an
// op is linearized by lifting its call and return out of the list, and undone by putting
// them back. An op whose outcome is unknown returns at +∞: it may be linearized anywhere
// after its call, or never.
import { ConfigurationCache, OpSet, zobristTags } from './memo.js';
import { INITIAL_REGISTER, stepRegister, type RegisterOp, type RegisterValue } from './register.js';

export interface TimedOp {
  op: RegisterOp;
  callUs: number;
  /** Infinity when the outcome is unknown. */
  returnUs: number;
}

/** A configuration at the furthest point the search reached: its state and linearization. */
export interface PartialLinearization {
  state: RegisterValue;
  /** Indexes of the linearized ops, in linearization order. */
  order: number[];
}

export type SearchResult =
  | { result: 'linearizable'; steps: number }
  | { result: 'gave-up'; steps: number; why: 'time' | 'memory' }
  | {
      result: 'not-linearizable';
      steps: number;
      /** The op whose return no configuration got past: the smallest failing prefix ends there. */
      blockingOp: number;
      furthest: PartialLinearization[];
    };

const KEPT_PARTIALS = 3;
const CLOCK_EVERY = 1024;
/**
 * Configurations remembered per key at most (some 200 bytes each with the cache's overhead):
 * a history with many unknown ops pending at once can need more than any memory holds, and
 * the check runs inside the engine, so it gives up rather than exhaust the heap.
 */
export const MAX_CONFIGURATIONS = 500_000;

export function searchLinearization(ops: readonly TimedOp[], deadlineMs: number): SearchResult {
  const n = ops.length;
  // Entries 1..2n in time order (calls before returns at the same instant: they overlap); 0 is the head.
  const order: Array<{ op: number; call: boolean; t: number }> = [];
  ops.forEach((o, i) => order.push({ op: i, call: true, t: o.callUs }, { op: i, call: false, t: o.returnUs }));
  order.sort((a, b) => a.t - b.t || (a.call === b.call ? a.op - b.op : a.call ? -1 : 1));
  const size = 2 * n + 1;
  const next = new Int32Array(size).fill(-1);
  const prev = new Int32Array(size).fill(-1);
  const opOf = new Int32Array(size).fill(-1);
  const isCall = new Uint8Array(size);
  const returnOf = new Int32Array(n);
  order.forEach((e, i) => {
    const at = i + 1;
    opOf[at] = e.op;
    isCall[at] = e.call ? 1 : 0;
    if (!e.call) returnOf[e.op] = at;
    prev[at] = i;
    next[i] = at;
  });
  const unlink = (e: number) => {
    next[prev[e]] = next[e];
    if (next[e] >= 0) prev[next[e]] = prev[e];
  };
  const relink = (e: number) => {
    next[prev[e]] = e;
    if (next[e] >= 0) prev[next[e]] = e;
  };

  const linearized = new OpSet(n, zobristTags(n));
  const cache = new ConfigurationCache();
  const stack: Array<{ entry: number; state: RegisterValue }> = [];
  let state = INITIAL_REGISTER;
  let entry = next[0];
  let steps = 0;
  let furthestAt = -1;
  let furthest: PartialLinearization[] = [];

  while (next[0] >= 0) {
    if (++steps % CLOCK_EVERY === 0) {
      if (performance.now() > deadlineMs) return { result: 'gave-up', steps, why: 'time' };
      if (cache.size > MAX_CONFIGURATIONS) return { result: 'gave-up', steps, why: 'memory' };
    }
    if (isCall[entry]) {
      const i = opOf[entry];
      const after = stepRegister(state, ops[i].op);
      if (after !== undefined) {
        linearized.add(i);
        if (cache.addIfNew(linearized, after)) {
          stack.push({ entry, state });
          state = after;
          unlink(entry);
          unlink(returnOf[i]);
          entry = next[0];
          continue;
        }
        linearized.remove(i);
      }
      entry = next[entry];
      continue;
    }
    // A return: its op must be linearized before anything later, so this path is stuck.
    if (ops[opOf[entry]].returnUs === Infinity) return { result: 'linearizable', steps };
    if (entry > furthestAt) {
      furthestAt = entry;
      furthest = [];
    }
    if (entry === furthestAt && furthest.length < KEPT_PARTIALS) furthest.push({ state, order: stack.map((s) => opOf[s.entry]) });
    const top = stack.pop();
    if (!top) return { result: 'not-linearizable', steps, blockingOp: opOf[furthestAt], furthest };
    const i = opOf[top.entry];
    linearized.remove(i);
    state = top.state;
    relink(returnOf[i]);
    relink(top.entry);
    entry = next[top.entry];
  }
  return { result: 'linearizable', steps };
}
