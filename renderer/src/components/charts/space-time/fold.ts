// Arrows of one type between the same two nodes, sent closer together than a few pixels,
// cannot be told apart: they fold into one band from the first send to the last, with their
// count, instead of a solid block of lines.
import type { MessagePoint } from '../../../../../core/api/contract.js';
import { xOf, type Layout } from './geometry.js';

export interface ArrowFold {
  src: string;
  dest: string;
  type: string;
  /** The band's sends, from the first to the last, and its receives, from the earliest to the latest; CSS pixels. */
  sendFrom: number;
  sendTo: number;
  receiveFrom: number;
  receiveTo: number;
  count: number;
}

/** Sends closer than this on one pair and type are too dense to draw apart. */
export const FOLD_GAP_PX = 5;
/** Fewer arrows than this stay arrows, however close. */
export const FOLD_MIN = 5;

interface Run {
  last: number;
  members: number[];
}

/**
 * The folds among the messages `foldable` accepts (delivered, in view, both lanes shown),
 * and which messages they took. Messages are in send order.
 */
export function foldDenseArrows(messages: readonly MessagePoint[], L: Layout, foldable: (i: number) => boolean, gapPx = FOLD_GAP_PX, minCount = FOLD_MIN): { folds: ArrowFold[]; folded: Uint8Array } {
  const folded = new Uint8Array(messages.length);
  const folds: ArrowFold[] = [];
  const runs = new Map<string, Run>();
  const close = (run: Run) => {
    if (run.members.length < minCount) return;
    const first = messages[run.members[0]];
    let receiveFrom = Infinity;
    let receiveTo = -Infinity;
    for (const i of run.members) {
      folded[i] = 1;
      const x = xOf(L, messages[i][5] as number);
      receiveFrom = Math.min(receiveFrom, x);
      receiveTo = Math.max(receiveTo, x);
    }
    folds.push({ src: first[1], dest: first[2], type: first[3], sendFrom: xOf(L, first[4]), sendTo: run.last, receiveFrom, receiveTo, count: run.members.length });
  };
  for (let i = 0; i < messages.length; i++) {
    if (!foldable(i)) continue;
    const m = messages[i];
    const key = `${m[1]}\u0000${m[2]}\u0000${m[3]}`;
    const x = xOf(L, m[4]);
    const run = runs.get(key);
    if (run && x - run.last <= gapPx) {
      run.members.push(i);
      run.last = x;
      continue;
    }
    if (run) close(run);
    runs.set(key, { last: x, members: [i] });
  }
  for (const run of runs.values()) close(run);
  return { folds, folded };
}
