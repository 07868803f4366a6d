// Dynamo-style quorum replication of a key-value store (Maelstrom lin-kv: read, write).
// Each key lives on N replicas chosen by hashing it onto the ring of nodes; any node
// coordinates the operations its clients send, waiting for R answers to read and W to
// write. Versions are vector clocks (concurrent writes become siblings) or last-write-wins
// stamps; read repair and a sloppy quorum with hinted handoff are switches.
import type { Body, Output, Params, Program, Protocol } from '../../sdk/index.js';
import { event } from '../../sdk/index.js';
import { DEADLINE_TIMER, FALLBACK_TIMER, isStrict, onClientRequest, onCoordinatorMessage, onDeadline, onFallbackTimer } from './coordinator.js';
import { ringOrder } from './preference.js';
import { HANDOFF_TIMER, onHandoffTimer, onReplicaMessage } from './replica.js';
import type { QuorumConfig, QuorumState } from './types.js';

export function configOf(params: Params): QuorumConfig {
  return {
    replicas: Number(params.replicas),
    r: Number(params.r),
    w: Number(params.w),
    versioning: params.versioning === 'lww' ? 'lww' : 'vector',
    readRepair: params.readRepair !== false,
    sloppy: params.sloppy === true,
    timeoutMs: Number(params.timeout),
  };
}

/** What the linearizability check should find, said in the run (and its summary). */
export function expectation(c: QuorumConfig): { linearizableExpected: boolean; text: string } {
  const shape = `N = ${c.replicas}, R = ${c.r}, W = ${c.w}${c.sloppy ? ', sloppy' : ''}`;
  if (c.r + c.w <= c.replicas) return { linearizableExpected: false, text: `${shape}: R + W ≤ N, a read quorum can miss the latest write: not linearizable by design; a failure here is the lesson` };
  if (c.sloppy) return { linearizableExpected: false, text: `${shape}: stand-ins outside the N replicas break the overlap of quorums: not linearizable by design; a failure here is the lesson` };
  if (!c.readRepair) return { linearizableExpected: false, text: `${shape}, no read repair: a read does not write back what it saw, so a later read may see less: not linearizable by design; a failure here is the lesson` };
  return { linearizableExpected: true, text: `${shape}: R + W > N without a sloppy quorum: linearizable expected` };
}

const protocol: Protocol<QuorumState> = {
  init({ self, peers, params }) {
    const config = configOf(params);
    const s: QuorumState = {
      self,
      nodes: ringOrder(peers.includes(self) ? peers : [...peers, self]),
      config,
      store: new Map(),
      hints: new Map(),
      lastIssued: 0,
      ops: new Map(),
      nextOpId: 1,
      handoffArmed: false,
      counts: { staleReads: 0, conflictingReads: 0, handoffs: 0 },
    };
    return [s, [event('quorum-config', { ...config, strict: isStrict(s), ...expectation(config) })]];
  },
  step(s, input) {
    const out: Output[] = [];
    if (input.kind === 'timer') onTimer(s, input.name, out);
    else onMessage(s, input.from, input.body, out);
    return [s, out];
  },
};

function onMessage(s: QuorumState, from: string, body: Body, out: Output[]): void {
  if (s.nodes.includes(from)) {
    if (!onReplicaMessage(s, from, body, out)) onCoordinatorMessage(s, from, body, out);
    return;
  }
  onClientRequest(s, from, body, out);
}

function onTimer(s: QuorumState, name: string, out: Output[]): void {
  if (name === HANDOFF_TIMER) onHandoffTimer(s, out);
  else if (name.startsWith(DEADLINE_TIMER)) onDeadline(s, Number(name.slice(DEADLINE_TIMER.length)), out);
  else if (name.startsWith(FALLBACK_TIMER)) onFallbackTimer(s, Number(name.slice(FALLBACK_TIMER.length)), out);
}

/** Problems between parameters, named as in nodes.params (checked before the run). */
function checkParams(params: Params, nodeCount: number): Array<{ name: string; message: string }> {
  const problems: Array<{ name: string; message: string }> = [];
  const n = Number(params.replicas);
  if (n > nodeCount) problems.push({ name: 'replicas', message: `expected at most the node count (${nodeCount}) replicas per key, got ${n}` });
  for (const name of ['r', 'w']) {
    const value = Number(params[name]);
    if (value > n) problems.push({ name, message: `expected at most replicas (N = ${n}), got ${value}` });
  }
  return problems;
}

export const quorumKv: Program = {
  name: 'quorum-kv',
  description:
    'Dynamo-style quorum replication (lin-kv: read, write; cas answers error 10): N replicas per key on a hash ring, any node coordinates, R answers to read and W to write, vector-clock or last-write-wins versions, read repair, and an optional sloppy quorum with hinted handoff. R + W > N without a sloppy quorum is linearizable; R = W = 1 with a sloppy quorum stays available on both sides of a partition and is not.',
  params: [
    { name: 'replicas', default: 3, unit: 'count', integer: true, min: 1, description: 'N: replicas of each key (at most the node count)' },
    { name: 'r', default: 2, unit: 'count', integer: true, min: 1, description: 'R: replicas that must answer a read (at most N)' },
    { name: 'w', default: 2, unit: 'count', integer: true, min: 1, description: 'W: replicas that must store a write (at most N)' },
    { name: 'versioning', default: 'vector', oneOf: ['vector', 'lww'], description: "'vector': vector clocks, concurrent writes kept as siblings; 'lww': last write wins by (counter, node id)" },
    { name: 'readRepair', default: true, description: 'a read whose replicas disagree writes the newest value back (before answering when R + W > N without a sloppy quorum, else in the background)' },
    { name: 'sloppy', default: false, description: 'sloppy quorum: when home replicas are slow (half the timeout), the next nodes on the ring stand in and keep hinted copies, handed back when the home node answers again' },
    { name: 'timeout', default: 300, unit: 'ms', min: 1, description: 'how long a coordinator waits for R (or W) answers before failing the operation; also the hinted-handoff retry interval' },
  ],
  checkParams,
  protocol,
};
