// Vector clocks (Fidge, Mattern 1988) on an epidemic broadcast: node i increments V[i]
// on each local, send or receive event; a receive first takes the element-wise max.
import type { Output, Program } from '../../sdk/index.js';
import { metric, state } from '../../sdk/index.js';
import { clockGossipProtocol, type ClockRules } from './clock-gossip.js';
import { incremented, merged, parseVectorClock, zeroClock, type VectorClock } from './vector-clock.js';

export const vectorRules: ClockRules<VectorClock> = {
  start: (_self, nodes) => zeroClock(nodes),
  tick: (clock, self) => incremented(clock, self),
  receive: (clock, received, self) => incremented(merged(clock, received), self),
  parse: parseVectorClock,
  telemetry(before, after, self) {
    // `events` is this node's own entry: how many events it has had.
    const out: Output[] = [metric('events', after[self] ?? 0)];
    for (const [node, value] of Object.entries(after)) {
      if ((before[node] ?? 0) !== value) out.push(metric(`vclock.${node}`, value));
    }
    out.push(state('vclock', after));
    return out;
  },
};

export const vector: Program = {
  name: 'vector',
  description: 'Gossips each broadcast to random peers, stamping every event with a vector clock (deliver events carry it).',
  params: [{ name: 'fanout', default: 2, unit: 'count', integer: true, min: 0, description: 'peers a node relays each new message to' }],
  protocol: clockGossipProtocol(vectorRules),
};
