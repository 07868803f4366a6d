// Epidemic broadcast that carries a logical clock: the shared skeleton of the `lamport`
// and `vector` programs. A message spreads by relaying it to `fanout` random peers on
// first receipt; the clock rules decide what a local, send and receive event does.
import type { Output, Protocol, Rng } from '../../sdk/index.js';
import { createRng, event, reply, send } from '../../sdk/index.js';
import { answerOtherRequest, broadcastValue } from './broadcast-requests.js';

export interface ClockRules<C> {
  start(self: string, nodes: readonly string[]): C;
  /** A local event or a send. */
  tick(clock: C, self: string): C;
  /** A receive of a message stamped `received`. */
  receive(clock: C, received: C, self: string): C;
  /** The clock a gossip message carries, or undefined when it is malformed. */
  parse(value: unknown): C | undefined;
  /** Metrics and inspector state for a clock that changed during one step. */
  telemetry(before: C, after: C, self: string): Output[];
}

export interface GossipState<C> {
  self: string;
  peers: string[];
  fanout: number;
  rng: Rng;
  clock: C;
  /** Messages in delivery order; read returns them, and they double as the dedupe set. */
  delivered: number[];
  seen: Set<number>;
}

export function clockGossipProtocol<C>(rules: ClockRules<C>): Protocol<GossipState<C>> {
  return {
    init({ self, peers, params, seed }) {
      const state: GossipState<C> = {
        self,
        peers: peers.filter((p) => p !== self),
        fanout: Math.max(0, Math.floor(Number(params.fanout))),
        rng: createRng(seed, self),
        clock: rules.start(self, peers),
        delivered: [],
        seen: new Set(),
      };
      return [state, []];
    },
    step(state, input) {
      if (input.kind !== 'message') return [state, []];
      const before = state.clock;
      const out: Output[] = [];
      const { from, body } = input;
      if (state.peers.includes(from)) {
        if (body.type === 'gossip') receiveGossip(rules, state, from, body.message, body.origin, body.clock, out);
      } else {
        const message = broadcastValue(body);
        if (body.type === 'broadcast' && message !== undefined) {
          originate(rules, state, message, out);
          out.push(reply(from, body, { type: 'broadcast_ok' }));
        } else {
          out.push(answerOtherRequest(from, body, state.delivered));
        }
      }
      if (state.clock !== before) out.push(...rules.telemetry(before, state.clock, state.self));
      return [state, out];
    },
  };
}

// Clients stand outside the group whose clocks we model: a client's request is a local
// event at the node, and the reply to it does not tick.
function originate<C>(rules: ClockRules<C>, state: GossipState<C>, message: number, out: Output[]): void {
  if (state.seen.has(message)) return; // a client's retry: already spreading
  state.clock = rules.tick(state.clock, state.self);
  deliver(state, message, state.self, out);
  relay(rules, state, message, state.self, undefined, out);
}

function receiveGossip<C>(
  rules: ClockRules<C>,
  state: GossipState<C>,
  from: string,
  rawMessage: unknown,
  rawOrigin: unknown,
  rawClock: unknown,
  out: Output[],
): void {
  const clock = rules.parse(rawClock);
  if (typeof rawMessage !== 'number' || typeof rawOrigin !== 'string' || clock === undefined) return;
  // A duplicate changes nothing, so it is not an event of the algorithm.
  if (state.seen.has(rawMessage)) return;
  state.clock = rules.receive(state.clock, clock, state.self);
  deliver(state, rawMessage, rawOrigin, out);
  relay(rules, state, rawMessage, rawOrigin, from, out);
}

function deliver<C>(state: GossipState<C>, message: number, origin: string, out: Output[]): void {
  state.seen.add(message);
  state.delivered.push(message);
  out.push(event('deliver', { message, origin, clock: state.clock }));
}

// Each send is its own event, so every copy carries a fresh clock value.
function relay<C>(
  rules: ClockRules<C>,
  state: GossipState<C>,
  message: number,
  origin: string,
  receivedFrom: string | undefined,
  out: Output[],
): void {
  const candidates = state.peers.filter((p) => p !== receivedFrom && p !== origin);
  const targets = state.rng.shuffle(candidates).slice(0, state.fanout);
  for (const target of targets) {
    state.clock = rules.tick(state.clock, state.self);
    out.push(send(target, { type: 'gossip', message, origin, clock: state.clock }));
  }
}
