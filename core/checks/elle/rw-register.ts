// rw-register: writes are unique per key, but a read shows only one version, so the version
// order is known only in part, as Elle recovers it: the initial (null) version precedes
// every write; a txn that read v and then wrote w puts v before w; and, when the model is
// strict-serializable (keys must then be linearizable), a write acknowledged before another
// was invoked comes before it.
import { RW, WR, WW, type DependencyGraph } from './graph.js';
import { collectWriters, readOf, type ItemAnomaly } from './item-anomalies.js';
import { realtimeEdges } from './realtime.js';
import type { Txn, TxnKey } from './txn.js';

export function rwRegisterDependencies(txns: readonly Txn[], g: DependencyGraph, options: { realtimeVersions: boolean }): ItemAnomaly[] {
  const found: ItemAnomaly[] = [];
  const { writers, aborted } = collectWriters(txns, 'w');
  /** Per key: each version's known successors, and the versions with a known predecessor. */
  const versions = new Map<TxnKey, { next: Map<unknown, unknown[]>; preceded: Set<unknown> }>();
  const order = (k: TxnKey, before: unknown, after: unknown) => {
    let v = versions.get(k);
    if (!v) versions.set(k, (v = { next: new Map(), preceded: new Set() }));
    const afters = v.next.get(before);
    if (afters) afters.push(after);
    else v.next.set(before, [after]);
    v.preceded.add(after);
  };
  const firstVersions = new Map<TxnKey, unknown[]>();
  const externalReads: Array<{ txn: number; key: TxnKey; value: unknown }> = [];
  const finalWrites = new Map<TxnKey, Array<{ value: unknown; invokeUs: number; completeUs: number | null }>>();

  for (const t of txns) {
    if (t.source.outcome !== 'ok') continue;
    const readFirst = new Map<TxnKey, unknown>();
    const written = new Map<TxnKey, unknown>();
    for (const [f, k, v] of t.ops) {
      if (f === 'w') written.set(k, v);
      else if (!written.has(k) && !readFirst.has(k)) readFirst.set(k, v);
    }
    for (const [k, v] of readFirst) {
      externalReads.push({ txn: t.index, key: k, value: v });
      const w = written.get(k);
      if (v !== null && written.has(k)) order(k, v, w);
    }
    for (const [k, v] of written) {
      const write = { value: v, invokeUs: t.source.invokeUs, completeUs: t.source.completeUs };
      const writes = finalWrites.get(k);
      if (writes) writes.push(write);
      else finalWrites.set(k, [write]);
    }
  }
  if (options.realtimeVersions) {
    for (const [k, writes] of finalWrites) realtimeEdges(writes, (a, b) => order(k, writes[a].value, writes[b].value));
  }

  for (const [k, { next }] of versions) {
    for (const [before, afters] of next) {
      const a = writers.get(k, before);
      for (const after of afters) {
        const b = writers.get(k, after);
        if (a && b) g.add(a.txn, b.txn, WW, k);
      }
    }
  }
  for (const { txn, key, value } of externalReads) {
    if (value !== null) {
      const w = readOf(txn, key, value, writers, aborted, found);
      if (w) g.add(w.txn, txn, WR, key);
    }
    for (const after of successors(key, value)) {
      const w = writers.get(key, after);
      if (w?.final) g.add(txn, w.txn, RW, key);
    }
  }
  return found;

  /** What overwrote `value`: its known successors; for the initial null, every write with no known predecessor. */
  function successors(key: TxnKey, value: unknown): unknown[] {
    const v = versions.get(key);
    if (value !== null) return v?.next.get(value) ?? [];
    let first = firstVersions.get(key);
    if (!first) firstVersions.set(key, (first = [...writers.entries(key)].filter(([x, w]) => w.final && !v?.preceded.has(x)).map(([x]) => x)));
    return first;
  }
}
