// The final phase of workloads judged on final reads (see core/engine/final-phase.ts), on
// virtual time: heal, resume paused nodes, a quiet period, then a read on every live node,
// sent again when it times out (core/workloads/final-reads.ts).
import type { FaultAction, NodeId, WorkloadSpec } from '../experiment/types.js';
import { hasFinalReads } from '../experiment/workload-kinds.js';
import { finalPhaseNotice, type FinalPhaseResult } from '../engine/final-phase.js';
import { finalReadsBoundMs } from '../workloads/final-reads.js';
import type { Workload } from '../workloads/workload.js';
import type { SimNode } from './sim-node.js';

export interface SimPhases {
  nodes: ReadonlyMap<NodeId, SimNode>;
  apply(action: FaultAction): void;
  notice(text: string): void;
  event(kind: string, data: Record<string, unknown>): void;
  /** Runs virtual time forward by ms, or until done(); false if the run was stopped. */
  runFor(ms: number, done?: () => boolean): Promise<boolean>;
}

/** Null when the workload has no final phase. */
export async function simulateFinalPhase(spec: WorkloadSpec, workload: Workload, t: SimPhases): Promise<FinalPhaseResult | null> {
  if (!hasFinalReads(spec.kind) || spec.finalQuietMs === undefined || !workload.finalReads) return null;
  const quietMs = spec.finalQuietMs;
  const result: FinalPhaseResult = { quietMs, readNodes: [], down: [], interrupted: false };
  t.apply({ kind: 'heal' });
  const nodes = [...t.nodes.values()];
  const paused = nodes.filter((n) => n.state === 'paused').map((n) => n.id);
  if (paused.length) t.apply({ kind: 'resume', nodes: paused });
  t.notice(finalPhaseNotice(quietMs, spec.timeoutMs));
  t.event('final-phase', { quietMs, healed: true, resumed: paused });
  if (!(await t.runFor(quietMs))) return { ...result, interrupted: true };
  result.readNodes = nodes.filter((n) => n.state === 'up').map((n) => n.id);
  result.down = nodes.filter((n) => n.state !== 'up').map((n) => n.id);
  // The reads' promise settles on a microtask, between slices: the open requests say when they are done
  // (a read that timed out is sent again at once, so none is open only when all are done).
  void workload.finalReads(result.readNodes);
  const finished = await t.runFor(finalReadsBoundMs(spec.timeoutMs), () => workload.outstanding === 0);
  return { ...result, interrupted: !finished };
}
