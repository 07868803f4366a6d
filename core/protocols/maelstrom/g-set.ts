// Maelstrom g-set: a grow-only set CRDT. A node adds elements to its own copy and, every
// gossip interval, sends its whole set to every other node, which merges it by union.
// Union never loses an element and does not care about order or repeats, so the copies
// agree once a partition heals, with no acknowledgements needed.
import type { Output, Program, Protocol } from '../../sdk/index.js';
import { metric, send, setTimer } from '../../sdk/index.js';
import { answer, fromPeer, listField, type MessageCounter } from './replies.js';
import { addValue, valuesOf, type ValueSet } from './value-set.js';

interface GSetState extends MessageCounter {
  peers: string[];
  gossipMs: number;
  elements: ValueSet;
}

const GOSSIP_TIMER = 'anti-entropy';

const protocol: Protocol<GSetState> = {
  init({ self, peers, params }) {
    const state: GSetState = { peers: peers.filter((p) => p !== self), gossipMs: Number(params.gossipInterval), elements: new Map(), nextMsgId: 1 };
    return [state, [setTimer(GOSSIP_TIMER, state.gossipMs)]];
  },
  step(state, input) {
    const out: Output[] = [];
    const known = state.elements.size;
    if (input.kind === 'timer') {
      if (input.name !== GOSSIP_TIMER) return [state, out];
      const value = valuesOf(state.elements);
      if (value.length > 0) for (const peer of state.peers) out.push(send(peer, { type: 'gset_state', value }));
      out.push(setTimer(GOSSIP_TIMER, state.gossipMs));
    } else if (fromPeer(state.peers, input.from) && input.body.type === 'gset_state') {
      for (const element of listField(input.body, 'value')) addValue(state.elements, element);
    } else if (input.body.type === 'add') {
      addValue(state.elements, input.body.element);
      out.push(answer(state, input.from, input.body, { type: 'add_ok' }));
    } else if (input.body.type === 'read') {
      out.push(answer(state, input.from, input.body, { type: 'read_ok', value: valuesOf(state.elements) }));
    }
    if (state.elements.size !== known) out.push(metric('elements', state.elements.size));
    return [state, out];
  },
};

export const gSet: Program = {
  name: 'g-set',
  description:
    'Maelstrom g-set: a grow-only set CRDT. Adds go to the local copy; every gossip interval each node sends its whole set to the others, which merge it by union, so all copies converge once partitions heal.',
  params: [{ name: 'gossipInterval', default: 200, unit: 'ms', min: 1, description: 'time between two anti-entropy rounds (the whole set to every other node)' }],
  protocol,
};
