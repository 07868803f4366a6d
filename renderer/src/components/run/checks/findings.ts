// A checker's findings as the run view draws them: the operations of a history that cannot be
// linearized as a timeline per client (as Porcupine draws them), and the cycles of a
// transactional anomaly as a chain of transactions and the edges between them.
import type { NonLinearizableKey, OpView } from '../../../../../core/checks/linearizability.js';
import type { AnomalyReport, TxnView } from '../../../../../core/checks/elle/check.js';

export interface TimelineBar {
  op: OpView;
  row: number;
  /** 0–1 across the timeline. */
  x0: number;
  x1: number;
  label: string;
  /** It never answered (or answered indefinitely): it may have happened any time after its call. */
  open: boolean;
  blocking: boolean;
}

export interface Timeline {
  clients: string[];
  bars: TimelineBar[];
  fromUs: number;
  toUs: number;
}

const json = (v: unknown) => (v === undefined ? '?' : JSON.stringify(v));

export function opLabel(op: OpView): string {
  if (op.f === 'write') return `w ${json(op.value)}`;
  if (op.f === 'cas') return `cas ${json(op.from)}→${json(op.to)}`;
  if (op.f === 'read') return op.outcome === 'ok' || op.value !== undefined ? `r ${json(op.value)}` : 'r ?';
  return op.f;
}

/** The ops involved in a failure, one row per client, from the first call to the failing prefix's end. */
export function linearizabilityTimeline(failure: NonLinearizableKey): Timeline {
  const ops = failure.operations;
  const clients = [...new Set(ops.map((o) => o.client))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const fromUs = Math.min(...ops.map((o) => o.invokeUs));
  const lastEnd = Math.max(failure.prefix.endsAtUs, ...ops.map((o) => o.completeUs ?? o.invokeUs));
  // Room after the last answer for the ops that never answered.
  const toUs = lastEnd + Math.max(1, (lastEnd - fromUs) * 0.08);
  const at = (us: number) => (toUs === fromUs ? 0 : (us - fromUs) / (toUs - fromUs));
  const bars = ops.map((op) => {
    const open = op.completeUs === null || op.outcome === 'unknown';
    return { op, row: clients.indexOf(op.client), x0: at(op.invokeUs), x1: open ? 1 : at(op.completeUs!), label: opLabel(op), open, blocking: op.id === failure.blockingOp.id };
  });
  return { clients, bars, fromUs, toUs };
}

/** A long list read is shortened to its ends: the order of the last few is what a cycle is about. */
const LIST_SHOWN = 8;
function valueText(v: unknown): string {
  if (!Array.isArray(v) || v.length <= LIST_SHOWN) return json(v);
  return `[${v.slice(0, 2).map(json).join(',')},…${v.length - 6} more…,${v.slice(-4).map(json).join(',')}]`;
}

export function microOpsText(ops: TxnView['ops']): string {
  return ops.map(([f, k, v]) => `${f} ${json(k)}${v === null && f === 'r' ? '' : ` ${valueText(v)}`}`).join(', ');
}

export interface CycleStepView {
  txn: TxnView;
  /** The edge from this txn to the next in the cycle: "ww on x", "rw on 3", "real time". */
  edge: string | null;
}

const EDGE_WORDS: Record<string, string> = { ww: 'wrote before', wr: 'was read by', rw: 'read before the write of', realtime: 'finished before' };

/** The cycle's txns in order, each with the edge that leads to the next; or its txns alone. */
export function anomalySteps(report: AnomalyReport): CycleStepView[] {
  const byId = new Map(report.txns.map((t) => [t.id, t]));
  if (!report.cycle?.length) return report.txns.map((txn) => ({ txn, edge: null }));
  return report.cycle.flatMap((e) => {
    const txn = byId.get(e.from);
    if (!txn) return [];
    const words = EDGE_WORDS[e.kind] ?? e.kind;
    return [{ txn, edge: `${e.kind}: ${words}${e.key === null ? '' : ` (key ${json(e.key)})`}` }];
  });
}
