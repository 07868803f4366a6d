// Anomalies that need no cycle: what one read, or the reads of one key, show on their own.
export type ItemAnomalyType = 'G1a' | 'G1b' | 'incompatible-order' | 'duplicate-elements';

export interface ItemAnomaly {
  type: ItemAnomalyType;
  key: string;
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

export class WritersByKey {
  private readonly byKey = new Map<string, Map<unknown, Writer>>();
  add(key: string, value: unknown, writer: Writer): void {
    let values = this.byKey.get(key);
    if (!values) this.byKey.set(key, (values = new Map()));
    values.set(value, writer);
  }
  get(key: string, value: unknown): Writer | undefined {
    return this.byKey.get(key)?.get(value);
  }
  hasKey(key: string): boolean {
    return this.byKey.has(key);
  }
  values(key: string): IterableIterator<[unknown, Writer]> | [] {
    return this.byKey.get(key)?.entries() ?? [];
  }
}

/**
 * Writers of committed or possibly committed txns, and of aborted ones, apart: a read of an
 * aborted write is G1a, a read of a write that may have happened is fine.
 */
export function collectWriters(txns: ReadonlyArray<{ index: number; source: { outcome: string }; ops: Array<[string, string, unknown]> }>, writeF: string): { writers: WritersByKey; aborted: WritersByKey } {
  const writers = new WritersByKey();
  const aborted = new WritersByKey();
  for (const t of txns) {
    const into = t.source.outcome === 'fail' ? aborted : writers;
    const last = new Map<string, unknown>();
    for (const [f, k, v] of t.ops) if (f === writeF) last.set(k, v);
    for (const [f, k, v] of t.ops) if (f === writeF) into.add(k, v, { txn: t.index, final: last.get(k) === v });
  }
  return { writers, aborted };
}

/** G1a and G1b of one read whose last visible write is `value`, and the wr edge it implies. */
export function readOf(reader: number, key: string, value: unknown, writers: WritersByKey, aborted: WritersByKey, found: ItemAnomaly[]): Writer | undefined {
  abortedRead(reader, key, value, aborted, found);
  const w = writers.get(key, value);
  if (w && w.txn !== reader && !w.final) found.push({ type: 'G1b', key, txns: [reader, w.txn], values: value });
  return w;
}

export function abortedRead(reader: number, key: string, value: unknown, aborted: WritersByKey, found: ItemAnomaly[]): void {
  const writer = aborted.get(key, value);
  if (writer) found.push({ type: 'G1a', key, txns: [reader, writer.txn], values: value });
}
