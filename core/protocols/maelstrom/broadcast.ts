// Maelstrom broadcast: each node keeps every message it has seen and passes new ones on to
// its neighbours (from the topology message, all other nodes until then). What a neighbour
// has not acknowledged is sent again every gossip interval, in one batch per neighbour, so
// a message survives loss and partitions once they heal, and costs few messages.
import type { Body, Output, Program, Protocol } from '../../sdk/index.js';
import { metric, send, setTimer } from '../../sdk/index.js';
import { answer, fromPeer, listField, type MessageCounter } from './replies.js';
import { addValue, valueKey, valuesOf, type ValueSet } from './value-set.js';

interface BroadcastState extends MessageCounter {
  self: string;
  peers: string[];
  neighbours: string[];
  gossipMs: number;
  messages: ValueSet;
  /** Per neighbour: the keys of the messages it has not acknowledged yet. */
  unacked: Map<string, Set<string>>;
}

const GOSSIP_TIMER = 'gossip';

const protocol: Protocol<BroadcastState> = {
  init({ self, peers, params }) {
    const others = peers.filter((p) => p !== self);
    const state: BroadcastState = { self, peers: others, neighbours: others, gossipMs: Number(params.gossipInterval), messages: new Map(), unacked: new Map(), nextMsgId: 1 };
    return [state, [setTimer(GOSSIP_TIMER, state.gossipMs)]];
  },
  step(state, input) {
    const out: Output[] = [];
    const known = state.messages.size;
    if (input.kind === 'timer') {
      if (input.name === GOSSIP_TIMER) gossip(state, out);
    } else if (fromPeer(state.peers, input.from) && input.body.type === 'gossip') {
      receiveGossip(state, input.from, input.body, out);
    } else if (fromPeer(state.peers, input.from) && input.body.type === 'gossip_ok') {
      const pending = state.unacked.get(input.from);
      for (const message of listField(input.body, 'messages')) pending?.delete(valueKey(message));
    } else handleRequest(state, input.from, input.body, out);
    if (state.messages.size !== known) out.push(metric('messages', state.messages.size));
    return [state, out];
  },
};

function handleRequest(state: BroadcastState, from: string, body: Body, out: Output[]): void {
  switch (body.type) {
    case 'topology':
      useTopology(state, body.topology);
      out.push(answer(state, from, body, { type: 'topology_ok' }));
      return;
    case 'broadcast':
      learn(state, body.message, null);
      out.push(answer(state, from, body, { type: 'broadcast_ok' }));
      return;
    case 'read':
      out.push(answer(state, from, body, { type: 'read_ok', messages: valuesOf(state.messages) }));
  }
}

/** Neighbours come from the topology's entry for this node; they get everything known so far. */
function useTopology(state: BroadcastState, topology: unknown): void {
  const entry = typeof topology === 'object' && topology !== null ? (topology as Record<string, unknown>)[state.self] : undefined;
  if (!Array.isArray(entry)) return;
  state.neighbours = entry.filter((n): n is string => typeof n === 'string' && state.peers.includes(n));
  state.unacked = new Map(state.neighbours.map((n) => [n, new Set(state.messages.keys())]));
}

/** Stores a message; a new one is owed to every neighbour but the one it came from. */
function learn(state: BroadcastState, message: unknown, source: string | null): void {
  if (!addValue(state.messages, message)) return;
  for (const neighbour of state.neighbours) {
    if (neighbour === source) continue;
    let pending = state.unacked.get(neighbour);
    if (!pending) state.unacked.set(neighbour, (pending = new Set()));
    pending.add(valueKey(message));
  }
}

function receiveGossip(state: BroadcastState, from: string, body: Body, out: Output[]): void {
  const messages = listField(body, 'messages');
  for (const message of messages) {
    learn(state, message, from);
    state.unacked.get(from)?.delete(valueKey(message)); // it has this one already
  }
  // Acknowledge every copy, a repeated one too: the earlier ack may have been lost.
  out.push(send(from, { type: 'gossip_ok', messages }));
}

function gossip(state: BroadcastState, out: Output[]): void {
  for (const [neighbour, pending] of state.unacked) {
    if (pending.size === 0) continue;
    out.push(send(neighbour, { type: 'gossip', messages: [...pending].map((key) => state.messages.get(key)) }));
  }
  out.push(setTimer(GOSSIP_TIMER, state.gossipMs));
}

export const broadcast: Program = {
  name: 'broadcast',
  description:
    'Maelstrom broadcast: stores messages and gossips new ones to its topology neighbours in batches every gossip interval, again and again until each neighbour acknowledges them, so messages survive loss and healed partitions. A longer interval means fewer messages per operation but a higher stable latency.',
  params: [{ name: 'gossipInterval', default: 100, unit: 'ms', min: 1, description: 'time between two batches of unacknowledged messages to each neighbour' }],
  protocol,
};
