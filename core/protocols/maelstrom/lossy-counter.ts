// A deliberately broken g-counter. Each node keeps one number, the total it believes in,
// stamped with a version (a Lamport-style counter and the node's name to break ties). An
// add raises the total and the version and is sent to everyone at once; a node adopts any
// total with a higher version: last writer wins. Without faults the totals follow each
// other closely, but two sides of a partition each add on top of their own total, and on
// healing the side with the higher version overwrites the other: those adds are lost.
import type { Body, Output, Program, Protocol } from '../../sdk/index.js';
import { metric, send, setTimer } from '../../sdk/index.js';
import { answer, ERROR_MALFORMED_REQUEST, errorBody, fromPeer, type MessageCounter } from './replies.js';

interface Version {
  clock: number;
  node: string;
}

interface LossyCounterState extends MessageCounter {
  self: string;
  peers: string[];
  gossipMs: number;
  total: number;
  version: Version;
}

const GOSSIP_TIMER = 'gossip-total';

const newer = (a: Version, b: Version): boolean => a.clock > b.clock || (a.clock === b.clock && a.node > b.node);

function parseVersion(value: unknown): Version | null {
  const v = value as Partial<Version> | null;
  return typeof v?.clock === 'number' && typeof v.node === 'string' ? { clock: v.clock, node: v.node } : null;
}

const protocol: Protocol<LossyCounterState> = {
  init({ self, peers, params }) {
    const state: LossyCounterState = { self, peers: peers.filter((p) => p !== self), gossipMs: Number(params.gossipInterval), total: 0, version: { clock: 0, node: self }, nextMsgId: 1 };
    return [state, [setTimer(GOSSIP_TIMER, state.gossipMs)]];
  },
  step(state, input) {
    const out: Output[] = [];
    if (input.kind === 'timer') {
      if (input.name !== GOSSIP_TIMER) return [state, out];
      sendTotal(state, out);
      out.push(setTimer(GOSSIP_TIMER, state.gossipMs));
    } else if (fromPeer(state.peers, input.from) && input.body.type === 'total') {
      const version = parseVersion(input.body.version);
      if (version && typeof input.body.total === 'number' && newer(version, state.version)) {
        state.total = input.body.total;
        state.version = version;
        out.push(metric('value', state.total));
      }
    } else if (input.body.type === 'add') {
      out.push(answer(state, input.from, input.body, add(state, input.body, out)));
    } else if (input.body.type === 'read') {
      out.push(answer(state, input.from, input.body, { type: 'read_ok', value: state.total }));
    }
    return [state, out];
  },
};

function add(state: LossyCounterState, body: Body, out: Output[]): Body {
  if (typeof body.delta !== 'number' || !Number.isInteger(body.delta)) return errorBody(ERROR_MALFORMED_REQUEST, 'delta must be an integer');
  state.total += body.delta;
  state.version = { clock: state.version.clock + 1, node: state.self };
  out.push(metric('value', state.total));
  sendTotal(state, out);
  return { type: 'add_ok' };
}

function sendTotal(state: LossyCounterState, out: Output[]): void {
  for (const peer of state.peers) out.push(send(peer, { type: 'total', total: state.total, version: state.version }));
}

export const gCounterLossy: Program = {
  name: 'g-counter-lossy',
  description:
    'BROKEN on purpose: a counter whose nodes share one total and keep the one with the latest version (last writer wins). Under a partition both sides add to their own total; on healing one side overwrites the other and its adds are lost. The counter checker catches the final reads below the sum of acknowledged adds. Lesson: merge per-node counts (a CRDT), never overwrite a total.',
  params: [{ name: 'gossipInterval', default: 200, unit: 'ms', min: 1, description: 'time between two resends of the total (adds are also sent at once)' }],
  protocol,
};
