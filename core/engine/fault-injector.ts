// Applies a fault, scheduled or live, to the running network and nodes, and records it.
import { LEADER, type FaultAction, type NodeId } from '../experiment/types.js';
import type { Rng } from './prng.js';
import { applyPartitionPattern, type Topology } from './topology.js';
import type { LinkTable } from './link-table.js';

/** What faults act on in the network: the switch of a real run, or a simulation's network. */
export interface FaultableNetwork {
  readonly topology: Topology;
  readonly links: LinkTable;
  idOf(address: number): NodeId;
}

/** A node as faults see it: a process to signal (real) or a simulated host. False: not running. */
export interface FaultableNode {
  readonly address: number;
  signal(signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): boolean;
}

export interface FaultTargets<N extends FaultableNode = FaultableNode> {
  sw: FaultableNetwork;
  nodes: Map<NodeId, N>;
  /** The node the cluster's latest leader events name, if any. */
  leader: NodeId | null;
  addressOf(id: NodeId): number | undefined;
  restart(node: N): Promise<void> | void;
  rng: Rng;
}

/** Faults that change which links are blocked: their record lists the blocked links after them. */
export const TOPOLOGY_FAULTS: ReadonlySet<FaultAction['kind']> = new Set(['partition', 'partition-pattern', 'heal', 'cut']);

/** Applies the action; returns what was done, for the record. */
export function applyFault<N extends FaultableNode>(action: FaultAction, t: FaultTargets<N>): Record<string, unknown> {
  if ('nodes' in action && action.nodes.includes(LEADER)) {
    if (!t.leader) return { nodes: action.nodes.filter((n) => n !== LEADER), skipped: [LEADER], why: 'no leader known yet' };
    action = { ...action, nodes: action.nodes.map((n) => (n === LEADER ? t.leader! : n)) };
  }
  switch (action.kind) {
    case 'kill':
      return signalAll(t, action.nodes, 'SIGKILL');
    case 'stop':
      return signalAll(t, action.nodes, 'SIGTERM');
    case 'pause':
      return signalAll(t, action.nodes, 'SIGSTOP');
    case 'resume':
      return signalAll(t, action.nodes, 'SIGCONT');
    case 'restart':
      for (const id of action.nodes) {
        const node = t.nodes.get(id);
        if (node) void t.restart(node);
      }
      return { nodes: action.nodes };
    case 'partition':
      t.sw.topology.partition(action.groups.map((g) => addresses(t, g)));
      return { groups: action.groups };
    case 'partition-pattern': {
      if (action.pattern === 'leader') {
        if (!t.leader) return { pattern: 'leader', skipped: [LEADER], why: 'no leader known yet' };
        const groups = [[t.leader], [...t.nodes.keys()].filter((n) => n !== t.leader)];
        t.sw.topology.partition(groups.map((g) => addresses(t, g)));
        return { pattern: 'leader', groups };
      }
      const nodeAddresses = [...t.nodes.values()].map((n) => n.address);
      const groups = applyPartitionPattern(t.sw.topology, action.pattern, nodeAddresses, t.rng);
      return { pattern: action.pattern, groups: groups.map((g) => g.map((a) => t.sw.idOf(a))) };
    }
    case 'heal':
      t.sw.topology.heal();
      return {};
    case 'cut':
      t.sw.topology.cutOneWay(addresses(t, action.from), addresses(t, action.to));
      return { from: action.from, to: action.to };
    case 'change-link':
      t.sw.links.change(action.patch, action.from, action.to);
      return { from: action.from ?? '*', to: action.to ?? '*', ...action.patch };
    case 'join':
    case 'leave':
      throw new Error(`${action.kind} is applied by the run, which starts and stops nodes`);
  }
}

function signalAll(t: FaultTargets<FaultableNode>, ids: NodeId[], signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): Record<string, unknown> {
  const skipped = ids.filter((id) => !t.nodes.get(id)?.signal(signal));
  return skipped.length ? { nodes: ids, signal, skipped, why: 'not running' } : { nodes: ids, signal };
}

function addresses(t: FaultTargets<FaultableNode>, ids: NodeId[]): number[] {
  return ids.map((id) => t.addressOf(id)).filter((a): a is number => a !== undefined);
}
