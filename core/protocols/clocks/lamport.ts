// Lamport's logical clock (1978) on an epidemic broadcast: a local event or a send
// increments C, a send carries C, a receive sets C = max(C, received) + 1.
import type { Program } from '../../sdk/index.js';
import { metric, state } from '../../sdk/index.js';
import { clockGossipProtocol, type ClockRules } from './clock-gossip.js';

export const lamportRules: ClockRules<number> = {
  start: () => 0,
  tick: (clock) => clock + 1,
  receive: (clock, received) => Math.max(clock, received) + 1,
  parse: (value) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined),
  telemetry: (_before, after) => [metric('lamport', after), state('lamport', after)],
};

export const lamport: Program = {
  name: 'lamport',
  description: 'Gossips each broadcast to random peers, stamping every event with a Lamport clock (deliver events carry it).',
  params: [{ name: 'fanout', default: 2, unit: 'count', integer: true, min: 0, description: 'peers a node relays each new message to' }],
  protocol: clockGossipProtocol(lamportRules),
};
