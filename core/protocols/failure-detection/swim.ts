// SWIM (Das, Gupta, Motivala, DSN 2002): each period a node pings one member in a
// shuffled round-robin order; without an ack in pingTimeout it asks k others to probe
// (ping-req); still nothing by the period's end and the member becomes suspect. A
// suspect that does not refute within suspicionTimeout is confirmed dead. Membership
// updates ride on every message.
import { createRng, metric, send, setTimer } from '../../sdk/index.js';
import type { Body, Output, Program, Protocol, Rng } from '../../sdk/index.js';
import { rejectClientRequest } from './client-requests.js';
import { recordArrival, recordOf } from './peer-status.js';
import { takeUpdates, type MemberUpdate } from './swim-gossip.js';
import { applyUpdate, confirmIfStillSuspect, createMembers, statusOf, suspectOfTimer, viewOf, type SwimMembers } from './swim-members.js';

interface Probe { target: string; seq: number; acked: boolean }
/** A ping sent for someone else's ping-req: its ack is relayed to the requester. */
interface Relay { requester: string; requesterSeq: number; target: string; expiresAt: number }

export interface SwimState {
  periodMs: number;
  pingTimeoutMs: number;
  k: number;
  gossipMax: number;
  rng: Rng;
  members: SwimMembers;
  /** Members still to probe in this round, next last. */
  order: string[];
  probe: Probe | null;
  nextSeq: number;
  relays: Map<number, Relay>;
  /** The suspicion level last reported for each member, and when: steady levels are reported once a second. */
  reported: Map<string, { level: number; at: number }>;
}

/** A steady suspicion level is reported again after this long, so a chart of it never goes stale. */
const STEADY_REPORT_MS = 1000;

const protocol: Protocol<SwimState> = {
  init({ self, peers, params, now, seed }) {
    const out: Output[] = [];
    const rng = createRng(seed, self);
    const periodMs = Number(params.period);
    const s: SwimState = {
      periodMs,
      pingTimeoutMs: Number(params.pingTimeout),
      k: Number(params.k),
      gossipMax: Number(params.gossipMax),
      rng,
      members: createMembers(self, peers.filter((p) => p !== self), Number(params.suspicionTimeout), now, out),
      order: [],
      probe: null,
      nextSeq: 1,
      relays: new Map(),
      reported: new Map(),
    };
    // A random phase, so that members do not all probe at the same instant.
    out.push(setTimer('period', rng.int(Math.max(1, periodMs))));
    return [s, out];
  },
  step(s, input) {
    const out: Output[] = [];
    if (input.kind === 'timer') {
      const suspect = suspectOfTimer(input.name);
      if (input.name === 'period') onPeriod(s, input.now, out);
      else if (input.name === 'probe-timeout') askForIndirectProbes(s, out);
      else if (suspect !== null) confirmIfStillSuspect(s.members, suspect, input.now, out);
    } else if (s.members.incarnations.has(input.from)) {
      onMemberMessage(s, input.from, input.body, input.now, out);
    } else {
      rejectClientRequest(input.from, input.body, out);
    }
    return [s, out];
  },
};

function onPeriod(s: SwimState, now: number, out: Output[]): void {
  const last = s.probe;
  if (last && !last.acked && statusOf(s.members, last.target) === 'alive') {
    applyUpdate(s.members, { ...viewOf(s.members, last.target), status: 'suspect' }, now, out);
  }
  for (const [seq, relay] of s.relays) if (relay.expiresAt <= now) s.relays.delete(seq);
  reportSuspicion(s, now, out);
  s.probe = null;
  const target = nextTarget(s);
  if (target !== null) {
    s.probe = { target, seq: s.nextSeq++, acked: false };
    out.push(message(s, target, { type: 'ping', seq: s.probe.seq }), setTimer('probe-timeout', s.pingTimeoutMs));
  }
  pingOneDeadMember(s, out);
  out.push(setTimer('period', s.periodMs));
}

/**
 * About once per round, a member declared dead gets a ping that carries the verdict. One
 * that was only cut off (a healed partition) or paused refutes it in its ack and is
 * alive again; a crashed one stays silent. Without this, a healed partition never heals.
 */
function pingOneDeadMember(s: SwimState, out: Output[]): void {
  const dead = [...s.members.incarnations.keys()].filter((id) => statusOf(s.members, id) === 'dead');
  if (dead.length === 0 || s.rng.next() >= 1 / Math.max(1, s.members.incarnations.size)) return;
  out.push(message(s, s.rng.pick(dead), { type: 'ping', seq: s.nextSeq++ }));
}

/** Shuffled round-robin over the members not known dead, reshuffled each round. */
function nextTarget(s: SwimState): string | null {
  for (let attempt = 0; attempt < 2; attempt++) {
    while (s.order.length > 0) {
      const candidate = s.order.pop()!;
      if (statusOf(s.members, candidate) !== 'dead') return candidate;
    }
    s.order = s.rng.shuffle(liveMembers(s, []));
  }
  return null;
}

function liveMembers(s: SwimState, except: string[]): string[] {
  return [...s.members.incarnations.keys()].filter((id) => statusOf(s.members, id) !== 'dead' && !except.includes(id));
}

function askForIndirectProbes(s: SwimState, out: Output[]): void {
  const probe = s.probe;
  if (!probe || probe.acked) return;
  const helpers = s.rng.shuffle(liveMembers(s, [probe.target]).filter((id) => statusOf(s.members, id) === 'alive'));
  for (const helper of helpers.slice(0, s.k)) {
    out.push(message(s, helper, { type: 'ping-req', seq: probe.seq, target: probe.target }));
  }
}

function onMemberMessage(s: SwimState, from: string, body: Body, now: number, out: Output[]): void {
  // Every message vouches for its sender at the sender's incarnation.
  applyUpdate(s.members, { id: from, status: 'alive', inc: Number(body.inc) }, now, out);
  for (const update of parseUpdates(body.updates)) applyUpdate(s.members, update, now, out);
  const seq = Number(body.seq);
  if (body.type === 'ping') {
    out.push(message(s, from, { type: 'ack', seq }));
  } else if (body.type === 'ping-req' && typeof body.target === 'string' && s.members.incarnations.has(body.target)) {
    const relaySeq = s.nextSeq++;
    s.relays.set(relaySeq, { requester: from, requesterSeq: seq, target: body.target, expiresAt: now + s.periodMs });
    out.push(message(s, body.target, { type: 'ping', seq: relaySeq }));
  } else if (body.type === 'ack') {
    onAck(s, from, seq, now, out);
  }
}

function onAck(s: SwimState, from: string, seq: number, now: number, out: Output[]): void {
  const probe = s.probe;
  if (probe && probe.seq === seq) {
    if (from === probe.target) recordArrival(s.members.tracker, from, now, out);
    probe.acked = true;
    return;
  }
  const relay = s.relays.get(seq);
  if (relay && relay.target === from) {
    s.relays.delete(seq);
    recordArrival(s.members.tracker, from, now, out);
    out.push(message(s, relay.requester, { type: 'ack', seq: relay.requesterSeq }));
  }
}

/**
 * Every message carries the sender's incarnation and up to gossipMax updates. One to a
 * member we think suspect or dead leads with that verdict, so it can refute at once.
 */
function message(s: SwimState, to: string, body: Body): Output {
  const aboutRecipient = viewOf(s.members, to);
  if (aboutRecipient.status === 'alive') {
    return send(to, { ...body, inc: s.members.incarnation, updates: takeUpdates(s.members.gossip, s.gossipMax) });
  }
  const updates = [aboutRecipient, ...takeUpdates(s.members.gossip, s.gossipMax - 1, to)];
  return send(to, { ...body, inc: s.members.incarnation, updates });
}

function parseUpdates(raw: unknown): MemberUpdate[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((u): u is MemberUpdate =>
    typeof u?.id === 'string' && ['alive', 'suspect', 'dead'].includes(u?.status) && Number.isInteger(u?.inc));
}

/**
 * suspicion.<member>: 0 alive, time suspected / suspicionTimeout while suspect, 1 dead.
 * Reported each period while it changes, and a steady level once a second: with every
 * member reporting on every other each period, 50 members made 12,000 samples a second.
 */
function reportSuspicion(s: SwimState, now: number, out: Output[]): void {
  for (const id of s.members.incarnations.keys()) {
    const record = recordOf(s.members.tracker, id);
    const level = record.status === 'alive' ? 0
      : record.status === 'dead' ? 1
      : Math.min(1, (now - record.suspectedAt) / s.members.suspicionTimeoutMs);
    const last = s.reported.get(id);
    if (last && last.level === level && now - last.at < STEADY_REPORT_MS) continue;
    s.reported.set(id, { level, at: now });
    out.push(metric(`suspicion.${id}`, level));
  }
}

export const swim: Program = {
  name: 'swim',
  description: 'SWIM failure detector: random probes with indirect ping-req, suspicion with incarnation refutes, gossip piggybacked on probes.',
  params: [
    { name: 'period', default: 200, unit: 'ms', min: 1, description: 'protocol period: one member is probed per period' },
    { name: 'pingTimeout', default: 80, unit: 'ms', min: 1, description: 'wait for a direct ack before asking k members to probe' },
    { name: 'k', default: 3, unit: 'count', integer: true, min: 0, description: 'members asked to probe indirectly (ping-req)' },
    { name: 'suspicionTimeout', default: 1000, unit: 'ms', min: 0, description: 'time a suspect has to refute before it is confirmed dead' },
    { name: 'gossipMax', default: 8, unit: 'count', integer: true, min: 1, description: 'membership updates piggybacked per message at most' },
  ],
  protocol,
};
