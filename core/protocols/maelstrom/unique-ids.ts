// Maelstrom unique-ids without coordination: an id is the node's name and a counter of its
// own, so two nodes can never pick the same one, even cut off from each other.
import type { Program, Protocol } from '../../sdk/index.js';
import { answer, type MessageCounter } from './replies.js';

interface UniqueIdsState extends MessageCounter {
  self: string;
  generated: number;
}

const protocol: Protocol<UniqueIdsState> = {
  init: ({ self }) => [{ self, generated: 0, nextMsgId: 1 }, []],
  step(state, input) {
    if (input.kind !== 'message' || input.body.type !== 'generate') return [state, []];
    state.generated++;
    return [state, [answer(state, input.from, input.body, { type: 'generate_ok', id: `${state.self}-${state.generated}` })]];
  },
};

export const uniqueIds: Program = {
  name: 'unique-ids',
  description: 'Maelstrom unique-ids: answers generate with "<node>-<counter>", unique without any messages between nodes, so partitions cannot break it.',
  params: [],
  protocol,
};
