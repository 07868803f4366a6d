// Maelstrom g-counter and pn-counter as state-based CRDTs. Each node counts only its own
// adds, increments in P and (pn only) decrements in N, and every gossip interval sends both
// maps to the others, which merge them entry by entry with max. A node's own entry only
// grows and only that node writes it, so max never loses an add; the value is ΣP − ΣN.
import type { Body, Output, Program, Protocol } from '../../sdk/index.js';
import { metric, send, setTimer } from '../../sdk/index.js';
import { answer, ERROR_MALFORMED_REQUEST, errorBody, fromPeer, type MessageCounter } from './replies.js';

type Counts = Record<string, number>;

interface CounterState extends MessageCounter {
  self: string;
  peers: string[];
  gossipMs: number;
  allowDecrements: boolean;
  increments: Counts;
  decrements: Counts;
}

const GOSSIP_TIMER = 'anti-entropy';

const sum = (counts: Counts): number => Object.values(counts).reduce((total, n) => total + n, 0);
const counterValue = (state: CounterState): number => sum(state.increments) - sum(state.decrements);

function mergeMax(into: Counts, from: unknown): void {
  if (typeof from !== 'object' || from === null) return;
  for (const [node, count] of Object.entries(from)) {
    if (typeof count === 'number' && count > (into[node] ?? 0)) into[node] = count;
  }
}

function counterProtocol(allowDecrements: boolean): Protocol<CounterState> {
  return {
    init({ self, peers, params }) {
      const state: CounterState = {
        self, peers: peers.filter((p) => p !== self), gossipMs: Number(params.gossipInterval), allowDecrements, increments: {}, decrements: {}, nextMsgId: 1,
      };
      return [state, [setTimer(GOSSIP_TIMER, state.gossipMs)]];
    },
    step(state, input) {
      const out: Output[] = [];
      const before = counterValue(state);
      if (input.kind === 'timer') {
        if (input.name !== GOSSIP_TIMER) return [state, out];
        for (const peer of state.peers) out.push(send(peer, { type: 'counter_state', increments: state.increments, decrements: state.decrements }));
        out.push(setTimer(GOSSIP_TIMER, state.gossipMs));
      } else if (fromPeer(state.peers, input.from) && input.body.type === 'counter_state') {
        mergeMax(state.increments, input.body.increments);
        mergeMax(state.decrements, input.body.decrements);
      } else if (input.body.type === 'add') {
        out.push(answer(state, input.from, input.body, add(state, input.body)));
      } else if (input.body.type === 'read') {
        out.push(answer(state, input.from, input.body, { type: 'read_ok', value: counterValue(state) }));
      }
      if (counterValue(state) !== before) out.push(metric('value', counterValue(state)));
      return [state, out];
    },
  };
}

function add(state: CounterState, body: Body): Body {
  const delta = body.delta;
  if (typeof delta !== 'number' || !Number.isInteger(delta)) return errorBody(ERROR_MALFORMED_REQUEST, 'delta must be an integer');
  if (delta < 0 && !state.allowDecrements) return errorBody(ERROR_MALFORMED_REQUEST, 'a g-counter only grows: delta must not be negative');
  const counts = delta >= 0 ? state.increments : state.decrements;
  counts[state.self] = (counts[state.self] ?? 0) + Math.abs(delta);
  return { type: 'add_ok' };
}

const gossipParam = { name: 'gossipInterval', default: 200, unit: 'ms', min: 1, description: 'time between two anti-entropy rounds (the per-node counts to every other node)' } as const;

export const gCounter: Program = {
  name: 'g-counter',
  description:
    'Maelstrom g-counter: a grow-only counter CRDT. Each node counts its own adds; the per-node counts are gossiped and merged with max, so no add is lost and all nodes read the same sum once partitions heal.',
  params: [gossipParam],
  protocol: counterProtocol(false),
};

export const pnCounter: Program = {
  name: 'pn-counter',
  description:
    'Maelstrom pn-counter: two grow-only counters per node, P for increments and N for decrements, gossiped and merged with max; the value is P − N. Converges once partitions heal, like the g-counter.',
  params: [gossipParam],
  protocol: counterProtocol(true),
};
