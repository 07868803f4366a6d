// The end of a run for workloads judged on final reads (broadcast, g-set, counters), as
// Maelstrom ends them: once the clients stop, faults heal (partitions and cuts end, paused
// nodes resume), the cluster gets a quiet period to converge, and then every live node is
// read once more. Nodes that are down stay down and are not read: starting them again would
// change what the experiment's faults did. Each step is bounded: a final read that times out
// is sent again, a bounded number of times (core/workloads/final-reads.ts).
import type { FaultAction, NodeId } from '../experiment/types.js';
import type { ManagedNode } from './node-process.js';
import type { Workload } from '../workloads/workload.js';
import { FINAL_READ_ATTEMPTS, finalPhaseBoundMs as phaseBoundMs } from '../workloads/final-reads.js';

export interface FinalPhasePlan {
  quietMs: number;
  /** How long one attempt at a final read may take (the workload's timeout). */
  readTimeoutMs: number;
}

export interface FinalPhaseTargets {
  workload: Workload;
  nodes: ReadonlyMap<NodeId, ManagedNode>;
  /** Applies a fault action and records it, as the fault schedule does. */
  apply(action: FaultAction): void;
  notice(text: string): void;
  event(kind: string, data: Record<string, unknown>): void;
  /** Aborted when the run is stopped during the phase. */
  signal: AbortSignal;
}

export interface FinalPhaseResult {
  quietMs: number;
  /** The nodes that were sent a final read. */
  readNodes: NodeId[];
  /** Nodes down at the end, not read. */
  down: NodeId[];
  interrupted: boolean;
}

/** The longest the phase can take, so that the run's expected end can account for it. */
export function finalPhaseBoundMs(plan: FinalPhasePlan): number {
  return phaseBoundMs(plan.quietMs, plan.readTimeoutMs);
}

export async function runFinalPhase(plan: FinalPhasePlan, t: FinalPhaseTargets): Promise<FinalPhaseResult> {
  const finalReads = t.workload.finalReads?.bind(t.workload);
  const result: FinalPhaseResult = { quietMs: plan.quietMs, readNodes: [], down: [], interrupted: false };
  if (!finalReads) return result;
  t.apply({ kind: 'heal' });
  const nodes = [...t.nodes.values()];
  const paused = nodes.filter((n) => n.state === 'paused').map((n) => n.id);
  if (paused.length) t.apply({ kind: 'resume', nodes: paused });
  t.notice(finalPhaseNotice(plan.quietMs, plan.readTimeoutMs));
  t.event('final-phase', { quietMs: plan.quietMs, healed: true, resumed: paused });
  await sleep(plan.quietMs, t.signal);
  if (t.signal.aborted) return { ...result, interrupted: true };
  result.readNodes = nodes.filter((n) => n.state === 'up').map((n) => n.id);
  result.down = nodes.filter((n) => n.state !== 'up').map((n) => n.id);
  await Promise.race([finalReads(result.readNodes), aborted(t.signal)]);
  return { ...result, interrupted: t.signal.aborted };
}

/** What the run says as its final phase begins, in the simulator too. */
export function finalPhaseNotice(quietMs: number, readTimeoutMs: number): string {
  return `final phase: faults healed; ${quietMs} ms of quiet, then a final read on every live node (at most ${readTimeoutMs} ms each, sent again on a timeout, ${FINAL_READ_ATTEMPTS} attempts at most)`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}
