// The Elle-style transactional checker: infer version orders, build the dependency graph
// (ww, wr, rw, and real-time edges for strict-serializable), find its cycles and the
// anomalies that need none, and judge them against the consistency models asked for.
import type { HistoryOp } from '../history.js';
import { findCycles } from './cycles.js';
import { DependencyGraph, REALTIME } from './graph.js';
import type { ItemAnomaly } from './item-anomalies.js';
import { listAppendDependencies } from './list-append.js';
import { forbiddenBy, type AnomalyType, type ConsistencyModel } from './models.js';
import { realtimeEdges } from './realtime.js';
import { rwRegisterDependencies } from './rw-register.js';
import { parseTxns, type MicroOp, type Txn, type TxnKey, type TxnWorkload } from './txn.js';

export interface TxnCheckOptions {
  workload: TxnWorkload;
  /** Strict-serializable by default, as in Maelstrom. */
  consistencyModels?: readonly ConsistencyModel[];
  /** Anomalies reported per type; every type found is still named. 10 by default. */
  examplesPerType?: number;
}

export interface TxnView {
  id: number;
  client: string;
  node: string;
  outcome: HistoryOp['outcome'];
  invokeUs: number;
  completeUs: number | null;
  ops: readonly MicroOp[];
}

export interface AnomalyReport {
  type: AnomalyType;
  /** For cycles: each edge, from one txn to the next (op ids), with its kind and key; the last edge returns to the first txn. */
  cycle?: Array<{ from: number; to: number; kind: string; key: TxnKey | null }>;
  /** For anomalies without a cycle. */
  key?: TxnKey;
  values?: unknown;
  txns: TxnView[];
}

export interface TxnCheckResult {
  valid: boolean;
  verdict: 'valid' | 'invalid';
  workload: TxnWorkload;
  consistencyModels: ConsistencyModel[];
  txns: number;
  edges: number;
  /** Every anomaly type found, forbidden or not. */
  anomalyTypes: AnomalyType[];
  /** Those the models forbid: any makes the history invalid. */
  forbidden: AnomalyType[];
  anomalies: AnomalyReport[];
}

export function checkTransactions(history: readonly HistoryOp[], options: TxnCheckOptions): TxnCheckResult {
  const models = [...(options.consistencyModels ?? ['strict-serializable'])] as ConsistencyModel[];
  const forbidden = forbiddenBy(models);
  const realtime = models.includes('strict-serializable');
  const perType = options.examplesPerType ?? 10;
  const txns = parseTxns(history, options.workload);
  const g = new DependencyGraph(txns.length);
  const itemAnomalies = options.workload === 'list-append' ? listAppendDependencies(txns, g) : rwRegisterDependencies(txns, g, { realtimeVersions: realtime });
  if (realtime) {
    // Aborted txns took no effect, so they have no place in real-time order; one with an
    // unknown outcome may have taken effect at any time after its call, so it precedes nothing.
    const live = txns.filter((t) => t.source.outcome !== 'fail');
    realtimeEdges(live.map((t) => ({ invokeUs: t.source.invokeUs, completeUs: t.source.outcome === 'ok' ? t.source.completeUs : null })), (a, b) => g.add(live[a].index, live[b].index, REALTIME, null));
  }
  g.freeze();

  const view = (i: number) => txnView(txns[i]);
  const anomalies: AnomalyReport[] = [];
  const shown = new Map<AnomalyType, number>();
  const types = new Set<AnomalyType>();
  const report = (a: AnomalyReport) => {
    types.add(a.type);
    if ((shown.get(a.type) ?? 0) >= perType) return;
    shown.set(a.type, (shown.get(a.type) ?? 0) + 1);
    anomalies.push(a);
  };
  for (const a of itemAnomalies) report(itemReport(a, view));
  for (const c of findCycles(g, { realtime, perType })) {
    const id = (i: number) => txns[i].source.id;
    report({ type: c.type, cycle: c.steps.map((s) => ({ from: id(s.from), to: id(s.to), kind: s.kind, key: s.key })), txns: c.steps.map((s) => view(s.from)) });
  }
  const forbiddenFound = [...types].filter((t) => forbidden.has(t));
  return {
    valid: forbiddenFound.length === 0,
    verdict: forbiddenFound.length === 0 ? 'valid' : 'invalid',
    workload: options.workload,
    consistencyModels: models,
    txns: txns.length,
    edges: g.edges,
    anomalyTypes: [...types],
    forbidden: forbiddenFound,
    anomalies,
  };
}

function itemReport(a: ItemAnomaly, view: (i: number) => TxnView): AnomalyReport {
  return { type: a.type, key: a.key, values: a.values, txns: a.txns.map(view) };
}

function txnView(t: Txn): TxnView {
  const h = t.source;
  return { id: h.id, client: h.client, node: h.node, outcome: h.outcome, invokeUs: h.invokeUs, completeUs: h.completeUs, ops: t.ops };
}
