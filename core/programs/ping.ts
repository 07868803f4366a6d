import { isMembershipMessage, type Body, type Output, type Program, type Protocol } from '../sdk/protocol.js';

interface PingState {
  self: string;
  peers: string[];
  intervalMs: number;
  nextId: number;
  /** msg_id → send time, for round trips still open. */
  open: Map<number, { peer: string; sentAt: number }>;
  timeoutMs: number;
}

// Every node pings every peer each interval and reports the round-trip time per peer.
// The peers are the current members: a membership message replaces them.
const protocol: Protocol<PingState> = {
  init({ self, peers, params, now }) {
    const state: PingState = {
      self,
      peers: peers.filter((p) => p !== self),
      intervalMs: Number(params.interval),
      timeoutMs: Number(params.timeout),
      nextId: 1,
      open: new Map(),
    };
    // Stagger the first round so that nodes do not ping in lockstep.
    const offset = (Number(self.slice(1)) * 7) % Math.max(1, state.intervalMs);
    return [state, [{ kind: 'setTimer', name: 'round', afterMs: offset }]];
  },
  step(state, input) {
    const out: Output[] = [];
    if (input.kind === 'timer' && input.name === 'round') {
      expireOpenPings(state, input.now, out);
      for (const peer of state.peers) {
        const msgId = state.nextId++;
        state.open.set(msgId, { peer, sentAt: input.now });
        out.push({ kind: 'send', to: peer, body: { type: 'ping', msg_id: msgId } });
      }
      out.push({ kind: 'setTimer', name: 'round', afterMs: state.intervalMs });
    } else if (isMembershipMessage(input)) {
      adoptMembers(state, input.body.members, out);
    } else if (input.kind === 'message') {
      answerOrMeasure(state, input.from, input.body, input.now, out);
    }
    return [state, out];
  },
};

function answerOrMeasure(state: PingState, from: string, body: Body, now: number, out: Output[]): void {
  if (body.type === 'ping') {
    out.push({ kind: 'send', to: from, body: { type: 'pong', msg_id: state.nextId++, in_reply_to: body.msg_id } });
    return;
  }
  if (body.type !== 'pong' || body.in_reply_to === undefined) return;
  const open = state.open.get(body.in_reply_to);
  if (!open) return;
  state.open.delete(body.in_reply_to);
  out.push({ kind: 'metric', name: `rtt_ms.${open.peer}`, value: now - open.sentAt });
}

/** Pings go to the new members from the next round; a node that is no longer one pings no one. */
function adoptMembers(state: PingState, members: string[], out: Output[]): void {
  const isMember = members.includes(state.self);
  state.peers = isMember ? members.filter((m) => m !== state.self) : [];
  for (const [msgId, open] of state.open) if (!state.peers.includes(open.peer)) state.open.delete(msgId);
  out.push({ kind: 'state', key: 'members', value: members });
}

function expireOpenPings(state: PingState, now: number, out: Output[]): void {
  for (const [msgId, open] of state.open) {
    if (now - open.sentAt < state.timeoutMs) continue;
    state.open.delete(msgId);
    out.push({ kind: 'event', type: 'ping-timeout', data: { peer: open.peer } });
  }
}

export const ping: Program = {
  name: 'ping',
  description: 'Every node pings every peer each interval and reports round-trip times as metrics (rtt_ms.<peer>). Nodes may join and leave: it pings the current members.',
  params: [
    { name: 'interval', default: 200, unit: 'ms', min: 1, description: 'time between ping rounds' },
    { name: 'timeout', default: 1000, unit: 'ms', min: 1, description: 'a ping unanswered this long counts as a timeout event' },
  ],
  protocol,
  membership: true,
};
