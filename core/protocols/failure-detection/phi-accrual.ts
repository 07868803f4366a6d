// φ accrual failure detector, Akka's variant: heartbeats every interval; each node
// fits the inter-arrival times of every peer and reports φ, a suspicion level that
// grows with silence. φ ≥ threshold → suspect; suspected for deadTimeout → dead.
import { metric, send, setTimer } from '../../sdk/index.js';
import type { Output, Program, Protocol } from '../../sdk/index.js';
import { rejectClientRequest } from './client-requests.js';
import { createPeerStatus, recordArrival, recordOf, transition, type PeerStatusTracker } from './peer-status.js';
import { addInterval, bootstrapWindow, phiOf, type ArrivalWindow, type PhiSettings } from './phi.js';

/** φ is reported capped here: beyond it the value only means "certainly gone" (and it reaches +∞). */
export const PHI_CAP = 100;

interface PeerWindow {
  window: ArrivalWindow;
  /** False until the first real heartbeat; start time stands in for it until then. */
  heard: boolean;
}

export interface PhiState {
  peers: string[];
  intervalMs: number;
  threshold: number;
  maxSamples: number;
  deadTimeoutMs: number;
  checkIntervalMs: number;
  settings: PhiSettings;
  windows: Map<string, PeerWindow>;
  tracker: PeerStatusTracker;
}

const protocol: Protocol<PhiState> = {
  init({ self, peers, params, now }) {
    const out: Output[] = [];
    const others = peers.filter((p) => p !== self);
    const intervalMs = Number(params.interval);
    const s: PhiState = {
      peers: others,
      intervalMs,
      threshold: Number(params.threshold),
      maxSamples: Number(params.window),
      deadTimeoutMs: Number(params.deadTimeout),
      checkIntervalMs: Number(params.checkInterval),
      settings: { acceptablePauseMs: Number(params.acceptablePause), minStdDevMs: Number(params.minStdDev) },
      windows: new Map(others.map((p) => [p, { window: bootstrapWindow(intervalMs), heard: false }])),
      // Like Akka's expected-first-heartbeat, start counts as a heartbeat, so a peer
      // that never speaks is still detected.
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
      if (input.body.type === 'heartbeat') onHeartbeat(s, input.from, input.now, out);
    } else if (input.kind === 'message') {
      rejectClientRequest(input.from, input.body, out);
    }
    return [s, out];
  },
};

function heartbeatAll(s: PhiState): Output[] {
  return s.peers.map((peer) => send(peer, { type: 'heartbeat' }));
}

/** φ of a peer at local time `now`, uncapped. */
export function peerPhi(s: PhiState, peer: string, now: number): number {
  const record = recordOf(s.tracker, peer);
  return phiOf(s.windows.get(peer)!.window, now - record.lastArrival, s.settings);
}

function onHeartbeat(s: PhiState, peer: string, now: number, out: Output[]): void {
  const entry = s.windows.get(peer)!;
  const intervalMs = now - recordOf(s.tracker, peer).lastArrival;
  // As Akka: the first arrival after a failure is not a sample, a long pause would skew the fit.
  if (entry.heard && peerPhi(s, peer, now) < s.threshold) {
    entry.window = addInterval(entry.window, intervalMs, s.maxSamples);
  }
  entry.heard = true;
  recordArrival(s.tracker, peer, now, out);
  transition(s.tracker, peer, 'alive', now, out);
}

function check(s: PhiState, now: number, out: Output[]): void {
  for (const peer of s.peers) {
    const value = peerPhi(s, peer, now);
    out.push(metric(`suspicion.${peer}`, Math.min(value, PHI_CAP)));
    if (value < s.threshold) continue;
    const record = recordOf(s.tracker, peer);
    if (record.status === 'alive') transition(s.tracker, peer, 'suspect', now, out);
    if (record.status === 'suspect' && now - record.suspectedAt >= s.deadTimeoutMs) transition(s.tracker, peer, 'dead', now, out);
  }
}

export const phiAccrual: Program = {
  name: 'phi-accrual',
  description: 'φ accrual failure detector (Akka variant): suspicion φ from the fitted heartbeat inter-arrival times; suspect when φ ≥ threshold.',
  params: [
    { name: 'interval', default: 100, unit: 'ms', min: 1, description: 'time between heartbeats to each peer (also the bootstrap mean)' },
    { name: 'threshold', default: 8, min: 0, description: 'φ at or above which a peer is suspected' },
    { name: 'window', default: 100, unit: 'count', integer: true, min: 1, description: 'inter-arrival samples kept per peer' },
    { name: 'minStdDev', default: 20, unit: 'ms', min: 0, description: 'floor on the fitted standard deviation' },
    { name: 'acceptablePause', default: 0, unit: 'ms', min: 0, description: 'added to the fitted mean: a pause this long is not suspicious' },
    { name: 'deadTimeout', default: 1000, unit: 'ms', min: 0, description: 'time continuously suspected before a peer is declared dead' },
    { name: 'checkInterval', default: 20, unit: 'ms', min: 1, description: 'how often φ is computed and reported' },
  ],
  protocol,
};
