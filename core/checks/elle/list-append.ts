// list-append: every read of a key is a prefix of one order of its appends, so the longest
// read gives the key's version order (appends never read have no known place, and no edges).
import { RW, WR, WW, type DependencyGraph } from './graph.js';
import { abortedRead, collectWriters, readOf, type ItemAnomaly } from './item-anomalies.js';
import type { Txn, TxnKey } from './txn.js';

export function listAppendDependencies(txns: readonly Txn[], g: DependencyGraph): ItemAnomaly[] {
  const found: ItemAnomaly[] = [];
  const { writers, aborted } = collectWriters(txns, 'append');
  const committed = txns.filter((t) => t.source.outcome === 'ok');

  const longest = new Map<TxnKey, { list: unknown[]; txn: number }>();
  for (const t of committed) {
    for (const [f, k, v] of t.ops) {
      if (f !== 'r' || !Array.isArray(v) || v.length === 0) continue;
      const known = longest.get(k);
      if (!known) longest.set(k, { list: v, txn: t.index });
      else if (v.length > known.list.length ? !isPrefix(known.list, v) : !isPrefix(v, known.list)) {
        found.push({ type: 'incompatible-order', key: k, txns: [t.index, known.txn], values: [v, known.list] });
      } else if (v.length > known.list.length) longest.set(k, { list: v, txn: t.index });
    }
  }

  for (const [k, { list, txn }] of longest) {
    const seen = new Set<unknown>();
    const twice = list.filter((v) => seen.size === seen.add(v).size);
    if (twice.length) found.push({ type: 'duplicate-elements', key: k, txns: [txn], values: twice });
    for (let i = 1; i < list.length; i++) {
      const a = writers.get(k, list[i - 1]);
      const b = writers.get(k, list[i]);
      if (a && b) g.add(a.txn, b.txn, WW, k);
    }
  }

  for (const t of committed) {
    for (const [f, k, v] of t.ops) {
      if (f !== 'r') continue;
      const seen = Array.isArray(v) ? v.length : 0;
      if (seen > 1 && aborted.hasKey(k)) for (let i = 0; i < seen - 1; i++) abortedRead(t.index, k, (v as unknown[])[i], aborted, found);
      if (seen > 0) {
        const w = readOf(t.index, k, (v as unknown[])[seen - 1], writers, aborted, found);
        if (w) g.add(w.txn, t.index, WR, k);
      }
      const order = longest.get(k)?.list;
      const overwrote = order && order.length > seen ? writers.get(k, order[seen]) : undefined;
      if (overwrote) g.add(t.index, overwrote.txn, RW, k);
    }
  }
  return found;
}

function isPrefix(short: readonly unknown[], long: readonly unknown[]): boolean {
  for (let i = 0; i < short.length; i++) if (short[i] !== long[i]) return false;
  return true;
}
