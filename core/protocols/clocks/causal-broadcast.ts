// Reliable causal broadcast (Birman–Schiper–Stephenson) over a lossy, duplicating,
// reordering network. The origin stamps each broadcast with its vector of delivered
// counts and sends it to every peer; a receiver buffers it until its causal past has
// been delivered. Reliability is end to end: receivers ack, the origin retransmits.
import type { Output, Program, Protocol } from '../../sdk/index.js';
import { cancelTimer, event, metric, reply, send, setTimer, state as inspect } from '../../sdk/index.js';
import { answerOtherRequest, broadcastValue } from './broadcast-requests.js';
import { causallyReady, missingDependencies, type DeliveryCondition } from './causal-delivery.js';
import { parseVectorClock, zeroClock, type VectorClock } from './vector-clock.js';

interface Stamped {
  origin: string;
  seq: number;
  clock: VectorClock;
  message: number;
}

interface Outgoing {
  stamped: Stamped;
  /** Peers that have not acked yet. */
  waiting: Set<string>;
  retransmits: number;
}

export interface CausalState {
  self: string;
  peers: string[];
  retransmitMs: number;
  maxRetransmits: number;
  condition: DeliveryCondition;
  /** V_j: how many messages from each origin this node has delivered. */
  delivered: VectorClock;
  buffer: Map<string, Stamped>;
  /** Message values in delivery order, for read. */
  log: number[];
  logged: Set<number>;
  /** This node's broadcasts by seq, until every peer acks or retransmits run out. */
  unacked: Map<number, Outgoing>;
}

const retransmitTimer = (seq: number): string => `retransmit:${seq}`;

/** Broken on purpose (`delivery: on-arrival`): every message is delivered the moment it arrives. */
const onArrival: DeliveryCondition = () => true;

/** The protocol with a replaceable delivery rule, so that a test can break it on purpose. */
export function causalBroadcastProtocol(condition: DeliveryCondition = causallyReady): Protocol<CausalState> {
  return {
    init({ self, peers, params }) {
      const state: CausalState = {
        self,
        peers: peers.filter((p) => p !== self),
        retransmitMs: Number(params.retransmitInterval),
        maxRetransmits: Number(params.maxRetransmits),
        condition: params.delivery === 'on-arrival' ? onArrival : condition,
        delivered: zeroClock(peers),
        buffer: new Map(),
        log: [],
        logged: new Set(),
        unacked: new Map(),
      };
      return [state, [inspect('vclock', { ...state.delivered })]];
    },
    step(state, input) {
      const bufferedBefore = state.buffer.size;
      const unackedBefore = state.unacked.size;
      const deliveredBefore = state.log.length;
      const out: Output[] = [];
      if (input.kind === 'timer') retransmit(state, input.name, out);
      else if (state.peers.includes(input.from)) fromPeer(state, input.from, input.body, out);
      else {
        const message = broadcastValue(input.body);
        if (input.body.type === 'broadcast' && message !== undefined) {
          originate(state, message, out);
          out.push(reply(input.from, input.body, { type: 'broadcast_ok' }));
        } else out.push(answerOtherRequest(input.from, input.body, state.log));
      }
      if (state.buffer.size !== bufferedBefore) out.push(metric('buffered', state.buffer.size));
      if (state.unacked.size !== unackedBefore) out.push(metric('unacked', state.unacked.size));
      if (state.log.length !== deliveredBefore) out.push(inspect('vclock', { ...state.delivered }));
      return [state, out];
    },
  };
}

function originate(state: CausalState, message: number, out: Output[]): void {
  if (state.logged.has(message)) return; // a client's retry of a broadcast already made
  const seq = (state.delivered[state.self] ?? 0) + 1;
  const stamped: Stamped = { origin: state.self, seq, clock: { ...state.delivered, [state.self]: seq }, message };
  deliver(state, stamped, out);
  if (state.peers.length === 0) return;
  for (const peer of state.peers) out.push(send(peer, cbcast(stamped)));
  state.unacked.set(seq, { stamped, waiting: new Set(state.peers), retransmits: 0 });
  out.push(setTimer(retransmitTimer(seq), state.retransmitMs));
}

function fromPeer(state: CausalState, from: string, body: Record<string, unknown>, out: Output[]): void {
  if (body.type === 'cbcast_ack') {
    const pending = typeof body.seq === 'number' && body.origin === state.self ? state.unacked.get(body.seq) : undefined;
    if (!pending) return;
    pending.waiting.delete(from);
    if (pending.waiting.size > 0) return;
    state.unacked.delete(pending.stamped.seq);
    out.push(cancelTimer(retransmitTimer(pending.stamped.seq)));
    return;
  }
  if (body.type !== 'cbcast') return;
  const { origin, seq, message } = body;
  const clock = parseVectorClock(body.clock);
  if (typeof origin !== 'string' || typeof seq !== 'number' || typeof message !== 'number' || !clock) return;
  // Ack every copy, a duplicate too: the first ack may have been lost.
  out.push(send(from, { type: 'cbcast_ack', origin, seq }));
  const key = `${origin}:${seq}`;
  if (seq <= (state.delivered[origin] ?? 0) || state.buffer.has(key)) return;
  const stamped: Stamped = { origin, seq, clock, message };
  if (state.condition(state.delivered, origin, clock)) {
    deliver(state, stamped, out);
    deliverUnblocked(state, out);
  } else {
    state.buffer.set(key, stamped);
    out.push(event('buffer', { origin, seq, waitingFor: missingDependencies(state.delivered, origin, clock) }));
  }
}

function deliver(state: CausalState, m: Stamped, out: Output[]): void {
  // With the correct rule this is delivered[origin] + 1; max() keeps a broken rule from
  // moving the count backwards.
  state.delivered[m.origin] = Math.max(state.delivered[m.origin] ?? 0, m.seq);
  state.log.push(m.message);
  state.logged.add(m.message);
  out.push(event('deliver', { origin: m.origin, seq: m.seq, vc: m.clock, message: m.message }));
}

// Each delivery may complete the causal past of buffered messages: repeat until none moves.
function deliverUnblocked(state: CausalState, out: Output[]): void {
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const [key, m] of state.buffer) {
      if (m.seq <= (state.delivered[m.origin] ?? 0)) state.buffer.delete(key);
      else if (state.condition(state.delivered, m.origin, m.clock)) {
        state.buffer.delete(key);
        deliver(state, m, out);
        progressed = true;
      }
    }
  }
}

function retransmit(state: CausalState, timer: string, out: Output[]): void {
  if (!timer.startsWith('retransmit:')) return;
  const seq = Number(timer.slice('retransmit:'.length));
  const pending = state.unacked.get(seq);
  if (!pending) return;
  if (pending.retransmits >= state.maxRetransmits) {
    state.unacked.delete(seq);
    out.push(event('give-up', { seq, peers: [...pending.waiting] }));
    return;
  }
  pending.retransmits++;
  for (const peer of pending.waiting) out.push(send(peer, cbcast(pending.stamped)));
  out.push(setTimer(timer, state.retransmitMs));
}

const cbcast = (m: Stamped) => ({ type: 'cbcast', origin: m.origin, seq: m.seq, clock: m.clock, message: m.message });

export const causalBroadcast: Program = {
  name: 'causal-broadcast',
  description: 'Reliable causal broadcast with vector clocks: buffers a message until its causal past is delivered; acks and retransmits.',
  params: [
    { name: 'retransmitInterval', default: 100, unit: 'ms', min: 1, description: 'time before an unacked broadcast is sent again' },
    { name: 'maxRetransmits', default: 50, unit: 'count', integer: true, min: 0, description: 'retransmissions of one broadcast before its origin gives up' },
    {
      name: 'delivery',
      default: 'causal',
      oneOf: ['causal', 'on-arrival'],
      description: "'causal': a message waits until its causal past is delivered; 'on-arrival': broken on purpose, delivered as it arrives (causal-delivery fails once a message overtakes one it depends on; distlab hunt finds it)",
    },
  ],
  protocol: causalBroadcastProtocol(),
};
