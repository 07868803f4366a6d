// The Elle-style checker on a generated txn-list-append history: a serial execution of
// overlapping txns (so strict-serializable), with one G-single and one G1c cycle planted on
// keys of their own. Keys rotate as in Elle's and Maelstrom's generators: 100 keys are live
// at a time, and a key is retired after 32 appends, so reads stay short. The floor is a
// bare pass over the same history that indexes the writer of every append, the least any
// checker of it must do.
import { checkTransactions } from '../core/checks/elle/check.js';
import type { HistoryOp } from '../core/checks/history.js';
import { createRng } from '../core/engine/prng.js';
import { byInvocation, overlappingSchedule } from './history-gen.js';

export interface ElleBench {
  txns: number;
  liveKeys: number;
  keysUsed: number;
  concurrency: number;
  checkMs: number;
  txnsPerSec: number;
  floorMs: number;
  floorTxnsPerSec: number;
  /** Appends the floor's pass indexed (so that the pass cannot be optimised away). */
  appendsIndexed: number;
  edges: number;
  anomalyTypes: string[];
  plantedGSingleFound: boolean;
  plantedG1cFound: boolean;
}

const MAX_APPENDS_PER_KEY = 32;

export function generateListAppendHistory(total: number, liveKeys: number, concurrency: number, seed = 1): { history: HistoryOp[]; keysUsed: number; planted: { gSingle: number[]; g1c: number[] } } {
  const rng = createRng(seed, 'bench-list-append');
  const lists = new Map<number, number[]>();
  const live = Array.from({ length: liveKeys }, (_, i) => i);
  let nextKey = liveKeys;
  let nextValue = 1;
  const history = overlappingSchedule(rng, concurrency, total).map((s, id): HistoryOp => {
    const sent: unknown[] = [];
    const result: unknown[] = [];
    for (let m = 1 + rng.int(4); m > 0; m--) {
      const slot = rng.int(liveKeys);
      const key = live[slot];
      const list = lists.get(key) ?? [];
      if (rng.next() < 0.5) {
        sent.push(['r', key, null]);
        result.push(['r', key, list.length ? list.slice() : null]);
        continue;
      }
      const value = nextValue++;
      list.push(value);
      lists.set(key, list);
      sent.push(['append', key, value]);
      result.push(['append', key, value]);
      if (list.length >= MAX_APPENDS_PER_KEY) live[slot] = nextKey++;
    }
    return { id, client: s.client, node: 'n1', f: 'txn', invokeUs: s.invokeUs, completeUs: s.completeUs, outcome: 'ok', detail: { txn: sent, result } };
  });

  // Planted mid-run on keys no one else touches, by clients of their own.
  const at = history[history.length >> 1].invokeUs;
  let id = history.length;
  const plant = (client: string, from: number, to: number, ops: unknown[]): HistoryOp => ({
    id: id++, client, node: 'n1', f: 'txn', invokeUs: at + from, completeUs: at + to, outcome: 'ok',
    detail: { txn: ops.map((o) => (o as unknown[])[0] === 'r' ? ['r', (o as unknown[])[1], null] : o), result: ops },
  });
  const [a, b, c, d] = [nextKey++, nextKey++, nextKey++, nextKey++];
  // G1c: each reads the other's append. G-single: a read of c before the append, of d after it.
  const g1c = [plant('p1', 0, 100, [['append', a, 1], ['r', b, [1]]]), plant('p2', 0, 100, [['append', b, 1], ['r', a, [1]]])];
  const gSingle = [plant('p3', 0, 100, [['r', c, null], ['r', d, [1]]]), plant('p4', 0, 100, [['append', c, 1], ['append', d, 1]])];
  const witness = plant('p3', 200, 300, [['r', c, [1]]]);
  return { history: byInvocation([...history, ...g1c, ...gSingle, witness]), keysUsed: nextKey, planted: { gSingle: gSingle.map((t) => t.id), g1c: g1c.map((t) => t.id) } };
}

export function elleBench(): ElleBench {
  const txns = 100_000;
  const liveKeys = 100;
  const concurrency = 10;
  const { history, keysUsed, planted } = generateListAppendHistory(txns, liveKeys, concurrency);
  const started = performance.now();
  const r = checkTransactions(history, { workload: 'list-append', consistencyModels: ['strict-serializable'] });
  const checkMs = performance.now() - started;
  const t0 = performance.now();
  const writers = bareWriterIndex(history);
  const floorMs = performance.now() - t0;
  const cycleOf = (type: string, ids: number[]) => r.anomalies.some((x) => x.type === type && ids.every((i) => x.cycle?.some((e) => e.from === i)));
  return {
    txns: history.length, liveKeys, keysUsed, concurrency, checkMs, txnsPerSec: (history.length / checkMs) * 1000,
    floorMs, appendsIndexed: writers, floorTxnsPerSec: (history.length / floorMs) * 1000, edges: r.edges, anomalyTypes: r.anomalyTypes,
    plantedGSingleFound: cycleOf('G-single', planted.gSingle), plantedG1cFound: cycleOf('G1c', planted.g1c),
  };
}

function bareWriterIndex(history: readonly HistoryOp[]): number {
  const writer = new Map<string, number>();
  for (const h of history) for (const [f, k, v] of h.detail.result as Array<[string, number, unknown]>) if (f === 'append') writer.set(`${k}/${v}`, h.id);
  return writer.size;
}
