// The plain search the memoised one is measured and cross-checked against: every order of
// the ops that respects real time, with no memoisation and no split by key, each order
// checked against the model only once complete. Factorial: for a handful of ops only.
import type { HistoryOp } from '../history.js';
import { INITIAL_REGISTER, registerOpOf, stepRegister, type KeyedRegisterOp, type RegisterValue } from './register.js';

export function exhaustivelyLinearizable(history: readonly HistoryOp[]): { linearizable: boolean; ordersTried: number } {
  const ops = history.flatMap((h) => {
    const keyed = registerOpOf(h);
    return keyed ? [{ keyed, invokeUs: h.invokeUs, returnUs: keyed.completed ? (h.completeUs ?? Infinity) : Infinity }] : [];
  });
  // An op with an unknown outcome may never have happened: try each subset of them left out.
  const unknown = ops.map((o, i) => (o.keyed.completed ? -1 : i)).filter((i) => i >= 0);
  let ordersTried = 0;
  for (let mask = 0; mask < 1 << unknown.length; mask++) {
    const left = new Set(unknown.filter((_, b) => (mask & (1 << b)) !== 0));
    const chosen = ops.filter((_, i) => !left.has(i));
    const used = new Uint8Array(chosen.length);
    const order: KeyedRegisterOp[] = [];
    const extend = (): boolean => {
      if (order.length === chosen.length) {
        ordersTried++;
        return legal(order);
      }
      for (let i = 0; i < chosen.length; i++) {
        if (used[i] || chosen.some((o, j) => !used[j] && j !== i && o.returnUs < chosen[i].invokeUs)) continue;
        used[i] = 1;
        order.push(chosen[i].keyed);
        if (extend()) return true;
        order.pop();
        used[i] = 0;
      }
      return false;
    };
    if (extend()) return { linearizable: true, ordersTried };
  }
  return { linearizable: false, ordersTried };
}

function legal(order: readonly KeyedRegisterOp[]): boolean {
  const state = new Map<string, RegisterValue>();
  for (const { key, op } of order) {
    const after = stepRegister(state.get(key) ?? INITIAL_REGISTER, op);
    if (after === undefined) return false;
    state.set(key, after);
  }
  return true;
}
