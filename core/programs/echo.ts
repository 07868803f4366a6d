import type { Program, Protocol } from '../sdk/protocol.js';

// Maelstrom's echo: answer every echo with echo_ok carrying the same payload.
const protocol: Protocol<{ nextId: number }> = {
  init: () => [{ nextId: 1 }, []],
  step(state, input) {
    if (input.kind !== 'message' || input.body.type !== 'echo') return [state, []];
    const reply = { type: 'echo_ok', msg_id: state.nextId, in_reply_to: input.body.msg_id, echo: input.body.echo };
    return [{ nextId: state.nextId + 1 }, [{ kind: 'send', to: input.from, body: reply }]];
  },
};

export const echo: Program = {
  name: 'echo',
  description: 'Answers every echo request with echo_ok and the same payload (Maelstrom echo).',
  params: [],
  protocol,
};
