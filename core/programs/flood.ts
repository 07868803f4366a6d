import type { Output, Program, Protocol } from '../sdk/protocol.js';

interface FloodState {
  peers: string[];
  toSend: number;
  sent: number;
  received: number;
  batch: number;
  payload: string;
}

// Benchmark load: each node sends `count` messages round-robin to its peers as fast as
// the transport accepts them, and reports once it has received as many as it sent.
const protocol: Protocol<FloodState> = {
  init({ self, peers, params }) {
    const state: FloodState = {
      peers: peers.filter((p) => p !== self),
      toSend: Number(params.count),
      sent: 0,
      received: 0,
      batch: Number(params.batch),
      payload: 'x'.repeat(Number(params.payloadBytes)),
    };
    return [state, [{ kind: 'setTimer', name: 'send', afterMs: Number(params.startDelay) }]];
  },
  step(state, input) {
    const out: Output[] = [];
    if (input.kind === 'timer' && input.name === 'send') {
      if (state.sent === 0) out.push({ kind: 'event', type: 'flood-start', data: null });
      const end = Math.min(state.toSend, state.sent + state.batch);
      for (; state.sent < end; state.sent++) {
        const to = state.peers[state.sent % state.peers.length];
        out.push({ kind: 'send', to, body: { type: 'flood', seq: state.sent, payload: state.payload } });
      }
      if (state.sent < state.toSend) out.push({ kind: 'setTimer', name: 'send', afterMs: 0 });
    } else if (input.kind === 'message' && input.body.type === 'flood') {
      state.received++;
      if (state.received === state.toSend) out.push({ kind: 'event', type: 'flood-complete', data: { received: state.received } });
    }
    return [state, out];
  },
};

export const flood: Program = {
  name: 'flood',
  description: 'Benchmark load: sends `count` messages round-robin to its peers as fast as the transport accepts them.',
  params: [
    { name: 'count', default: 10000, unit: 'count', integer: true, min: 1, description: 'messages each node sends' },
    { name: 'batch', default: 256, unit: 'count', integer: true, min: 1, description: 'messages sent per turn of the event loop' },
    { name: 'payloadBytes', default: 16, unit: 'bytes', integer: true, min: 0, max: 1_000_000, description: 'size of the payload string' },
    { name: 'startDelay', default: 200, unit: 'ms', min: 0, description: 'wait after init before sending' },
  ],
  protocol,
  logicalClocks: false,
};
