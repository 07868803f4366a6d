// Anomalies that need no cycle: what one read, or the reads of one key, show on their own.
import type { Txn, TxnKey } from './txn.js';

export type ItemAnomalyType = 'G1a' | 'G1b' | 'incompatible-order' | 'duplicate-elements';

export interface ItemAnomaly {
  type: ItemAnomalyType;
  key: TxnKey;
  /** Txn indexes: the reader first, then the writer or the other reader. */
  txns: number[];
  /** G1a: the aborted value read; G1b: the intermediate value read; orders: the conflicting reads or the duplicates. */
  values: unknown;
}

/** Who wrote each value of a key (values are unique per key), and whether it was that txn's last write to it. */
export interface Writer {
  txn: number;
  final: boolean;
}

/** Writers packed as numbers (txn × 2 + final), so that a big history's index holds no objects. */
export class WritersByKey {
  private readonly byKey = new Map<TxnKey, Map<unknown, number>>();
  add(key: TxnKey, value: unknown, writer: Writer): void {
    let values = this.byKey.get(key);
    if (!values) this.byKey.set(key, (values = new Map()));
    values.set(value, writer.txn * 2 + (writer.final ? 1 : 0));
  }
  get(key: TxnKey, value: unknown): Writer | undefined {
    const packed = this.byKey.get(key)?.get(value);
    return packed === undefined ? undefined : { txn: packed >>> 1, final: (packed & 1) === 1 };
  }
  hasKey(key: TxnKey): boolean {
    return this.byKey.has(key);
  }
  *entries(key: TxnKey): IterableIterator<[unknown, Writer]> {
    for (const [value, packed] of this.byKey.get(key) ?? []) yield [value, { txn: packed >>> 1, final: (packed & 1) === 1 }];
  }
}

/**
 * Writers of committed or possibly committed txns, and of aborted ones, apart: a read of an
 * aborted write is G1a, a read of a write that may have happened is fine.
 */
export function collectWriters(txns: readonly Txn[], writeF: string): { writers: WritersByKey; aborted: WritersByKey } {
  const writers = new WritersByKey();
  const aborted = new WritersByKey();
  for (const t of txns) {
    const into = t.source.outcome === 'fail' ? aborted : writers;
    const ops = t.ops;
    for (let i = 0; i < ops.length; i++) {
      if (ops[i][0] !== writeF) continue;
      let final = true;
      for (let j = i + 1; j < ops.length && final; j++) if (ops[j][0] === writeF && ops[j][1] === ops[i][1]) final = false;
      into.add(ops[i][1], ops[i][2], { txn: t.index, final });
    }
  }
  return { writers, aborted };
}

/** G1a and G1b of one read whose last visible write is `value`, and the wr edge it implies. */
export function readOf(reader: number, key: TxnKey, value: unknown, writers: WritersByKey, aborted: WritersByKey, found: ItemAnomaly[]): Writer | undefined {
  abortedRead(reader, key, value, aborted, found);
  const w = writers.get(key, value);
  if (w && w.txn !== reader && !w.final) found.push({ type: 'G1b', key, txns: [reader, w.txn], values: value });
  return w;
}

export function abortedRead(reader: number, key: TxnKey, value: unknown, aborted: WritersByKey, found: ItemAnomaly[]): void {
  const writer = aborted.get(key, value);
  if (writer) found.push({ type: 'G1a', key, txns: [reader, writer.txn], values: value });
}
