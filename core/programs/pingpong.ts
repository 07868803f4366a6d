import type { Output, Program, Protocol } from '../sdk/protocol.js';

interface PingPongState {
  peers: string[];
  perTick: number;
  remaining: number;
  nextId: number;
  sentAt: Map<number, number>;
}

const TICK_MS = 1;

// Benchmark load with a fixed rate: pings a peer `rate` times a second and reports each
// round trip (metric rtt_us), so the latency a network path adds can be measured.
const protocol: Protocol<PingPongState> = {
  init({ self, peers, params }) {
    const state: PingPongState = {
      peers: peers.filter((p) => p !== self),
      perTick: Math.max(1, Math.round((Number(params.rate) * TICK_MS) / 1000)),
      remaining: Number(params.count),
      nextId: 1,
      sentAt: new Map(),
    };
    return [state, state.remaining > 0 ? [{ kind: 'setTimer', name: 'tick', afterMs: Number(params.startDelay) }] : []];
  },
  step(state, input) {
    const out: Output[] = [];
    if (input.kind === 'timer') {
      for (let i = 0; i < state.perTick && state.remaining > 0; i++, state.remaining--) {
        const msgId = state.nextId++;
        state.sentAt.set(msgId, input.now);
        out.push({ kind: 'send', to: state.peers[msgId % state.peers.length], body: { type: 'ping', msg_id: msgId } });
      }
      if (state.remaining > 0) out.push({ kind: 'setTimer', name: 'tick', afterMs: TICK_MS });
    } else if (input.kind === 'message' && input.body.type === 'ping') {
      out.push({ kind: 'send', to: input.from, body: { type: 'pong', in_reply_to: input.body.msg_id } });
    } else if (input.kind === 'message' && input.body.type === 'pong') {
      const sentAt = state.sentAt.get(input.body.in_reply_to ?? -1);
      if (sentAt !== undefined) {
        state.sentAt.delete(input.body.in_reply_to!);
        out.push({ kind: 'metric', name: 'rtt_us', value: Math.round((input.now - sentAt) * 1000) });
      }
    }
    return [state, out];
  },
};

export const pingpong: Program = {
  name: 'pingpong',
  description: 'Benchmark load: pings peers at a fixed rate and reports every round trip in µs (metric rtt_us).',
  params: [
    { name: 'rate', default: 1000, unit: 'count', min: 1, max: 1_000_000, description: 'pings per second sent by each node' },
    { name: 'count', default: 5000, unit: 'count', integer: true, min: 1, description: 'pings each node sends in all' },
    { name: 'startDelay', default: 200, unit: 'ms', min: 0, description: 'wait after init before pinging' },
  ],
  protocol,
  logicalClocks: false,
};
