// The live faults the toolbar and the inspector send through `run.fault`: the experiment
// file's fault forms without `at`. Bad input throws an Error that says what to fix.
import type { FaultRequest } from '../../../../core/api/contract.js';

export type NodeAction = 'kill' | 'stop' | 'pause' | 'resume' | 'restart';
export type PatternName = 'one' | 'majority' | 'majorities-ring' | 'bridge' | 'leader';

export const PATTERNS: readonly PatternName[] = ['one', 'majority', 'majorities-ring', 'bridge', 'leader'];

export function nodeFault(action: NodeAction, node: string): FaultRequest {
  if (!node) throw new Error(`Pick a node to ${action} first.`);
  return { [action]: node };
}

/** A new node into the run, under an id no node of the run has had (nextNodeId). */
export function joinFault(node: string): FaultRequest {
  if (!node) throw new Error('Name the node to add, like n4.');
  return { join: node };
}

/** The member told to leave: it drains, then stops. */
export function leaveFault(node: string): FaultRequest {
  if (!node) throw new Error('Pick a node to remove first.');
  return { leave: node };
}

/** n<k+1> for the highest n<k> among the nodes; a node that left keeps its number taken. */
export function nextNodeId(nodes: readonly string[]): string {
  const numbers = nodes.map((id) => /^n(\d+)$/.exec(id)).filter((m) => m !== null).map((m) => Number(m[1]));
  return `n${Math.max(0, ...numbers) + 1}`;
}

export function patternFault(pattern: PatternName): FaultRequest {
  return { partition: pattern };
}

export function partitionFault(groups: string[][]): FaultRequest {
  const filled = groups.filter((g) => g.length > 0);
  if (filled.length < 2) throw new Error('Put nodes in at least two groups (A and B) to partition them.');
  return { partition: filled.map((g) => [...g]) };
}

export function cutFault(from: string, to: string): FaultRequest {
  if (!from || !to) throw new Error('Pick both ends of the link to cut.');
  if (from === to) throw new Error(`A link needs two different nodes; both ends are ${from}.`);
  return { cut: { from, to } };
}

export interface LinkChange {
  /** Empty: every source. */
  from: string;
  /** Empty: every destination. */
  to: string;
  /** Constant latency in ms; null leaves it as it is. */
  latencyMs: number | null;
  /** Loss in percent; null leaves it as it is. */
  lossPercent: number | null;
}

export function linkChangeFault(change: LinkChange): FaultRequest {
  const { from, to, latencyMs, lossPercent } = change;
  if (latencyMs === null && lossPercent === null) throw new Error('Set a latency or a loss to change the link.');
  if (latencyMs !== null && !(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new Error(`Latency must be 0 ms or more, got ${latencyMs}.`);
  if (lossPercent !== null && !(Number.isFinite(lossPercent) && lossPercent >= 0 && lossPercent <= 100))
    throw new Error(`Loss must be a percentage from 0 to 100, got ${lossPercent}.`);
  if (from && to && from === to) throw new Error(`A link needs two different nodes; both ends are ${from}.`);
  return {
    'change-link': {
      ...(from && { from }),
      ...(to && { to }),
      ...(latencyMs !== null && { latency: latencyMs }),
      ...(lossPercent !== null && { loss: lossPercent / 100 }),
    },
  };
}

export const HEAL: FaultRequest = { heal: true };
