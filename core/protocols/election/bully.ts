// The bully election (Garcia-Molina 1982): the highest live id leads. A candidate sends
// `election` to every higher id; a live higher node answers `ok` and runs its own
// election (unless it follows a live coordinator, which the candidate asked as well); a
// candidate that hears no `ok` within answerTimeout announces `coordinator` to all. The
// coordinator's heartbeats are the failure detector: silence for leaderTimeout starts an
// election. A term (election epoch) numbers the announcements, so "one leader per term"
// can be checked: an announcement carries the highest term seen + 1. That holds with
// crashes and restarts; a lost `election` or `ok` can still let two nodes announce the
// same term, which the bully algorithm has no way to prevent.
//
// The machine is reusable: primary-backup embeds it (isBullyInput/stepBully) and reads
// the leader with bullyLeader. Embedded with a log position (initBully's `byLog`), it ranks
// nodes by that position first and by id only between equal positions, so that the most
// up-to-date live log leads; a node whose position is null (a replica recovering after a
// restart) never stands. In that variant a live leader is not challenged for its id, only
// by a node whose log is ahead of its own.
import type { Body, Input, Output, ParamSpec, Params, Program, Protocol, StartInput } from '../../sdk/index.js';
import { cancelTimer, event, reply, send, setTimer, state } from '../../sdk/index.js';
import { ranksAbove } from './node-order.js';

export type BullyRole = 'leader' | 'follower' | 'candidate';
/** Where a running election stands; 'idle' when none runs. */
type Phase = 'idle' | 'awaiting-ok' | 'awaiting-coordinator';

export interface BullyTiming {
  answerTimeout: number;
  coordinatorTimeout: number;
  heartbeatInterval: number;
  leaderTimeout: number;
}

/** A replica's log position, [term of its last entry's session, last index]; null while it recovers and cannot lead. */
export type LogPosition = readonly [number, number] | null;

export interface BullyState {
  self: string;
  others: string[];
  /** The peers that outrank us: the only ones an election is sent to. */
  higher: string[];
  timing: BullyTiming;
  term: number;
  role: BullyRole;
  leader: string | null;
  phase: Phase;
  /** Rank by log position first (primary-backup in sync mode); false: the plain bully, by id. */
  byLog: boolean;
  /** This node's log position, kept current by the embedding program when byLog. */
  position: LogPosition;
}

const MESSAGE_TYPES = new Set(['election', 'ok', 'coordinator', 'heartbeat', 'term_query', 'term_reply']);
const TIMER_PREFIX = 'bully.';
const ANSWER_TIMER = 'bully.answer';
const COORDINATOR_TIMER = 'bully.coordinator';
const HEARTBEAT_TIMER = 'bully.heartbeat';
const LEADER_TIMER = 'bully.leader';

export const bullyParams: ParamSpec[] = [
  { name: 'answerTimeout', default: 100, unit: 'ms', min: 1, description: 'a candidate that hears no ok from a higher node this long announces itself coordinator' },
  { name: 'coordinatorTimeout', default: 300, unit: 'ms', min: 1, description: 'a candidate that got an ok but no coordinator announcement this long restarts its election' },
  { name: 'heartbeatInterval', default: 50, unit: 'ms', min: 1, description: "time between the coordinator's heartbeats to all" },
  { name: 'leaderTimeout', default: 250, unit: 'ms', min: 1, description: 'a follower that hears no heartbeat this long starts an election' },
];

export function bullyTimingFrom(params: Params): BullyTiming {
  return {
    answerTimeout: Number(params.answerTimeout),
    coordinatorTimeout: Number(params.coordinatorTimeout),
    heartbeatInterval: Number(params.heartbeatInterval),
    leaderTimeout: Number(params.leaderTimeout),
  };
}

/** A node that starts (or restarts) begins with an election. */
export function initBully(self: string, peers: string[], timing: BullyTiming, byLog?: { position: LogPosition }): [BullyState, Output[]] {
  const others = peers.filter((p) => p !== self);
  const s: BullyState = {
    self,
    others,
    higher: others.filter((p) => ranksAbove(p, self)),
    timing,
    term: 0,
    role: 'follower',
    leader: null,
    phase: 'idle',
    byLog: byLog !== undefined,
    position: byLog?.position ?? null,
  };
  const out: Output[] = [state('term', 0), state('leader', null)];
  // A (re)started node has forgotten the term. Higher nodes tell it in their ok; the
  // lower ones are asked, so that it never announces a term that is already taken.
  // Ranked by log, a higher id need not answer ok: every peer is asked.
  for (const peer of others) if (s.byLog || !s.higher.includes(peer)) out.push(send(peer, { type: 'term_query' }));
  startElection(s, out);
  return [s, out];
}

/** Whether an input belongs to the election (its messages and its timers). */
export function isBullyInput(input: Exclude<Input, StartInput>): boolean {
  return input.kind === 'timer' ? input.name.startsWith(TIMER_PREFIX) : MESSAGE_TYPES.has(input.body.type);
}

export function stepBully(s: BullyState, input: Exclude<Input, StartInput>): [BullyState, Output[]] {
  const out: Output[] = [];
  if (input.kind === 'timer') onTimer(s, input.name, out);
  else if (s.others.includes(input.from)) onMessage(s, input.from, input.body, out);
  return [s, out];
}

export const bullyLeader = (s: BullyState): string | null => s.leader;
export const isBullyLeader = (s: BullyState): boolean => s.role === 'leader';

function onMessage(s: BullyState, from: string, body: Body, out: Output[]): void {
  const term = typeof body.term === 'number' ? body.term : 0;
  if (body.type === 'election') onElection(s, from, term, positionOf(body), out);
  else if (body.type === 'ok') onOk(s, term, out);
  else if (body.type === 'term_query') out.push(send(from, { type: 'term_reply', term: s.term }));
  else if (body.type === 'term_reply') observeTerm(s, term, out);
  else if (body.type === 'coordinator' || body.type === 'heartbeat') onLeaderClaim(s, from, term, positionOf(body), out);
}

/** The position a message carries; null when absent or malformed (a recovering node's, or a corrupted one). */
function positionOf(body: Body): LogPosition {
  const pos = body.pos;
  if (!Array.isArray(pos) || pos.length !== 2 || !pos.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  return [pos[0] as number, pos[1] as number];
}

/** Orders positions; null (recovering) below every position. */
function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a === null || b === null) return (a === null ? 0 : 1) - (b === null ? 0 : 1);
  return a[0] - b[0] || a[1] - b[1];
}

/** Whether node a should lead rather than b: by id; by log position first when byLog (a recovering node never). */
function outranks(s: BullyState, a: string, posA: LogPosition, b: string, posB: LogPosition): boolean {
  if (!s.byLog) return ranksAbove(a, b);
  if (posA === null) return false;
  const order = comparePositions(posA, posB);
  return order > 0 || (order === 0 && ranksAbove(a, b));
}

/** An election message, with our log position when ranked by log. */
function msg(s: BullyState, type: string, term: number): Body {
  return s.byLog ? { type, term, pos: s.position } : { type, term };
}

function onTimer(s: BullyState, name: string, out: Output[]): void {
  if (name === ANSWER_TIMER && s.phase === 'awaiting-ok') {
    if (s.byLog && s.position === null) {
      // We learnt meanwhile that we are recovering: we wait for a leader instead.
      stopElection(s, out);
      setRole(s, 'follower', out);
    } else announce(s, s.term + 1, out);
  }
  else if (name === COORDINATOR_TIMER && s.phase === 'awaiting-coordinator') {
    // Someone higher answered but never announced (it may have crashed since): try again.
    s.phase = 'idle';
    startElection(s, out);
  } else if (name === HEARTBEAT_TIMER && s.role === 'leader') {
    for (const peer of s.others) out.push(send(peer, msg(s, 'heartbeat', s.term)));
    out.push(setTimer(HEARTBEAT_TIMER, s.timing.heartbeatInterval));
  } else if (name === LEADER_TIMER && s.role === 'follower') {
    setLeader(s, null, out);
    startElection(s, out);
  }
}

function onElection(s: BullyState, from: string, term: number, pos: LogPosition, out: Output[]): void {
  if (!outranks(s, s.self, s.position, from, pos)) return; // elections only travel upwards
  out.push(send(from, { type: 'ok', term: s.term }));
  if (s.role === 'leader') {
    // A candidate that is merely behind (a restarted node) only needs the current term. A
    // new term here could collide with a higher node announcing at the same moment.
    if (term > s.term) announce(s, term + 1, out);
    else out.push(send(from, msg(s, 'coordinator', s.term)));
    return;
  }
  observeTerm(s, term, out);
  // A follower of a live coordinator knows a higher live node already, and the candidate
  // asked that coordinator too: its answer settles the election, without a new epoch.
  if (s.role === 'follower' && s.leader !== null) return;
  startElection(s, out);
}

function onOk(s: BullyState, term: number, out: Output[]): void {
  observeTerm(s, term, out);
  if (s.phase !== 'awaiting-ok') return;
  s.phase = 'awaiting-coordinator';
  out.push(cancelTimer(ANSWER_TIMER), setTimer(COORDINATOR_TIMER, s.timing.coordinatorTimeout));
}

/** A `coordinator` announcement or a `heartbeat`: the sender says it leads `term`. */
function onLeaderClaim(s: BullyState, from: string, term: number, pos: LogPosition, out: Output[]): void {
  if (s.byLog) return onLeaderClaimByLog(s, from, term, pos, out);
  if (ranksAbove(from, s.self)) {
    // A stale claim from above is ignored: that node learns the newer term from the
    // current leader's heartbeats and announces itself again.
    if (term >= s.term) follow(s, from, term, out);
    return;
  }
  // A lower node claims to lead: by the bully rule we outrank it.
  if (s.role === 'leader') {
    if (term >= s.term) announce(s, term + 1, out);
    else out.push(send(from, { type: 'coordinator', term: s.term }));
    return;
  }
  if (term < s.term) return; // stale; our own leader outranks it and will tell it
  observeTerm(s, term, out);
  startElection(s, out);
}

/**
 * Ranked by log: two leaders settle it by rank (position, then id), the loser following the
 * winner's newer term. Anyone else follows a claim of the current term or newer, unless its
 * own log is ahead of the claimer's (that leader was crowned without hearing from us): then
 * it stands itself. A live leader is not challenged for its id alone.
 */
function onLeaderClaimByLog(s: BullyState, from: string, term: number, pos: LogPosition, out: Output[]): void {
  if (s.role === 'leader') {
    const yields = outranks(s, from, pos, s.self, s.position);
    if (term < s.term) out.push(send(from, msg(s, 'coordinator', s.term)));
    else if (yields) follow(s, from, term, out);
    else announce(s, term + 1, out);
    return;
  }
  if (term < s.term) return; // stale; the current leader tells it
  if (s.leader !== from && s.position !== null && comparePositions(s.position, pos) > 0) {
    observeTerm(s, term, out);
    startElection(s, out);
    return;
  }
  follow(s, from, term, out);
}

/** Any higher term: adopt it; a leader announces itself again in a newer one. */
function observeTerm(s: BullyState, term: number, out: Output[]): void {
  if (term <= s.term) return;
  if (s.role === 'leader') announce(s, term + 1, out);
  else setTerm(s, term, out);
}

function startElection(s: BullyState, out: Output[]): void {
  if (s.phase !== 'idle' || s.role === 'leader') return;
  if (s.byLog && s.position === null) {
    // A recovering node does not stand: it waits for a leader's claim.
    setRole(s, 'follower', out);
    return;
  }
  s.phase = 'awaiting-ok';
  setRole(s, 'candidate', out);
  out.push(event('election', { term: s.term + 1 }));
  // Ranked by log, anyone may outrank us.
  for (const peer of s.byLog ? s.others : s.higher) out.push(send(peer, msg(s, 'election', s.term)));
  // Even with nobody above, wait one answer timeout: a (re)started node learns the
  // current term in the meantime (term_reply, heartbeats) and announces a newer one.
  out.push(setTimer(ANSWER_TIMER, s.timing.answerTimeout));
}

function announce(s: BullyState, term: number, out: Output[]): void {
  stopElection(s, out);
  out.push(cancelTimer(LEADER_TIMER));
  setTerm(s, term, out);
  // Every announcement is a leadership of its own term, so the role event repeats.
  s.role = 'leader';
  out.push(event('role', { role: 'leader', term }), state('role', 'leader'));
  setLeader(s, s.self, out);
  for (const peer of s.others) out.push(send(peer, msg(s, 'coordinator', term)));
  out.push(setTimer(HEARTBEAT_TIMER, s.timing.heartbeatInterval));
}

function follow(s: BullyState, leader: string, term: number, out: Output[]): void {
  setTerm(s, term, out);
  if (s.role === 'leader') out.push(cancelTimer(HEARTBEAT_TIMER));
  stopElection(s, out);
  setRole(s, 'follower', out);
  setLeader(s, leader, out);
  out.push(setTimer(LEADER_TIMER, s.timing.leaderTimeout));
}

function stopElection(s: BullyState, out: Output[]): void {
  if (s.phase === 'idle') return;
  s.phase = 'idle';
  out.push(cancelTimer(ANSWER_TIMER), cancelTimer(COORDINATOR_TIMER));
}

function setTerm(s: BullyState, term: number, out: Output[]): void {
  if (term === s.term) return;
  s.term = term;
  out.push(event('term', { term }), state('term', term));
}

function setRole(s: BullyState, role: BullyRole, out: Output[]): void {
  if (role === s.role) return;
  s.role = role;
  out.push(event('role', { role, term: s.term }), state('role', role));
}

function setLeader(s: BullyState, leader: string | null, out: Output[]): void {
  if (leader === s.leader) return;
  s.leader = leader;
  out.push(event('leader', { leader, term: s.term }), state('leader', leader));
}

const protocol: Protocol<BullyState> = {
  init({ self, peers, params }) {
    return initBully(self, peers, bullyTimingFrom(params));
  },
  step(s, input) {
    if (isBullyInput(input)) return stepBully(s, input);
    // The election serves no client operations: say so instead of staying silent.
    if (input.kind === 'message' && input.body.msg_id !== undefined && !s.others.includes(input.from)) {
      return [s, [reply(input.from, input.body, { type: 'error', code: 10, text: `${input.body.type} is not supported by the bully election` })]];
    }
    return [s, []];
  },
};

export const bully: Program = {
  name: 'bully',
  description: 'The bully election: the highest live id becomes coordinator; its heartbeats are the failure detector.',
  params: bullyParams,
  protocol,
};
