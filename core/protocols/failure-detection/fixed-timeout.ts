// Fixed-timeout heartbeat detector: every node heartbeats every peer each interval;
// a peer silent for `timeout` is suspected, silent for `deadTimeout` is dead, and any
// heartbeat makes it alive again. The lesson is the trade-off in the one timeout.
import { metric, send, setTimer } from '../../sdk/index.js';
import type { Output, Program, Protocol } from '../../sdk/index.js';
import { rejectClientRequest } from './client-requests.js';
import { createPeerStatus, recordArrival, recordOf, transition, type PeerStatusTracker } from './peer-status.js';

interface HeartbeatState {
  peers: string[];
  intervalMs: number;
  timeoutMs: number;
  deadTimeoutMs: number;
  checkIntervalMs: number;
  tracker: PeerStatusTracker;
}

const protocol: Protocol<HeartbeatState> = {
  init({ self, peers, params, now }) {
    const out: Output[] = [];
    const others = peers.filter((p) => p !== self);
    const s: HeartbeatState = {
      peers: others,
      intervalMs: Number(params.interval),
      timeoutMs: Number(params.timeout),
      deadTimeoutMs: Number(params.deadTimeout),
      checkIntervalMs: Number(params.checkInterval),
      // Silence is counted from start, so a peer that never speaks is still detected.
      tracker: createPeerStatus(others, now, out),
    };
    out.push(...heartbeatAll(s), setTimer('beat', s.intervalMs), setTimer('check', s.checkIntervalMs));
    return [s, out];
  },
  step(s, input) {
    const out: Output[] = [];
    if (input.kind === 'timer' && input.name === 'beat') {
      out.push(...heartbeatAll(s), setTimer('beat', s.intervalMs));
    } else if (input.kind === 'timer' && input.name === 'check') {
      check(s, input.now, out);
      out.push(setTimer('check', s.checkIntervalMs));
    } else if (input.kind === 'message' && s.tracker.peers.has(input.from)) {
      if (input.body.type === 'heartbeat') {
        recordArrival(s.tracker, input.from, input.now, out);
        transition(s.tracker, input.from, 'alive', input.now, out);
      }
    } else if (input.kind === 'message') {
      rejectClientRequest(input.from, input.body, out);
    }
    return [s, out];
  },
};

function heartbeatAll(s: HeartbeatState): Output[] {
  return s.peers.map((peer) => send(peer, { type: 'heartbeat' }));
}

function check(s: HeartbeatState, now: number, out: Output[]): void {
  for (const peer of s.peers) {
    const record = recordOf(s.tracker, peer);
    const silentMs = now - record.lastArrival;
    out.push(metric(`suspicion.${peer}`, silentMs / s.timeoutMs));
    if (silentMs >= s.deadTimeoutMs) transition(s.tracker, peer, 'dead', now, out);
    else if (silentMs >= s.timeoutMs && record.status === 'alive') transition(s.tracker, peer, 'suspect', now, out);
  }
}

export const heartbeat: Program = {
  name: 'heartbeat',
  description: 'Fixed-timeout failure detector: heartbeats every interval; suspect after timeout of silence, dead after deadTimeout.',
  params: [
    { name: 'interval', default: 100, unit: 'ms', min: 1, description: 'time between heartbeats to each peer' },
    { name: 'timeout', default: 300, unit: 'ms', min: 1, description: 'silence after which a peer is suspected' },
    { name: 'deadTimeout', default: 1000, unit: 'ms', min: 1, description: 'silence after which a peer is declared dead' },
    { name: 'checkInterval', default: 20, unit: 'ms', min: 1, description: 'how often the timeouts are checked and suspicion is reported' },
  ],
  protocol,
};
