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
// the leader with bullyLeader.
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
export function initBully(self: string, peers: string[], timing: BullyTiming): [BullyState, Output[]] {
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
  };
  const out: Output[] = [state('term', 0), state('leader', null)];
  // A (re)started node has forgotten the term. Higher nodes tell it in their ok; the
  // lower ones are asked, so that it never announces a term that is already taken.
  for (const peer of others) if (!s.higher.includes(peer)) out.push(send(peer, { type: 'term_query' }));
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
  if (body.type === 'election') onElection(s, from, term, out);
  else if (body.type === 'ok') onOk(s, term, out);
  else if (body.type === 'term_query') out.push(send(from, { type: 'term_reply', term: s.term }));
  else if (body.type === 'term_reply') observeTerm(s, term, out);
  else if (body.type === 'coordinator' || body.type === 'heartbeat') onLeaderClaim(s, from, term, out);
}

function onTimer(s: BullyState, name: string, out: Output[]): void {
  if (name === ANSWER_TIMER && s.phase === 'awaiting-ok') announce(s, s.term + 1, out);
  else if (name === COORDINATOR_TIMER && s.phase === 'awaiting-coordinator') {
    // Someone higher answered but never announced (it may have crashed since): try again.
    s.phase = 'idle';
    startElection(s, out);
  } else if (name === HEARTBEAT_TIMER && s.role === 'leader') {
    for (const peer of s.others) out.push(send(peer, { type: 'heartbeat', term: s.term }));
    out.push(setTimer(HEARTBEAT_TIMER, s.timing.heartbeatInterval));
  } else if (name === LEADER_TIMER && s.role === 'follower') {
    setLeader(s, null, out);
    startElection(s, out);
  }
}

function onElection(s: BullyState, from: string, term: number, out: Output[]): void {
  if (!ranksAbove(s.self, from)) return; // elections only travel upwards
  out.push(send(from, { type: 'ok', term: s.term }));
  if (s.role === 'leader') {
    // A candidate that is merely behind (a restarted node) only needs the current term. A
    // new term here could collide with a higher node announcing at the same moment.
    if (term > s.term) announce(s, term + 1, out);
    else out.push(send(from, { type: 'coordinator', term: s.term }));
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
function onLeaderClaim(s: BullyState, from: string, term: number, out: Output[]): void {
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

/** Any higher term: adopt it; a leader announces itself again in a newer one. */
function observeTerm(s: BullyState, term: number, out: Output[]): void {
  if (term <= s.term) return;
  if (s.role === 'leader') announce(s, term + 1, out);
  else setTerm(s, term, out);
}

function startElection(s: BullyState, out: Output[]): void {
  if (s.phase !== 'idle' || s.role === 'leader') return;
  s.phase = 'awaiting-ok';
  setRole(s, 'candidate', out);
  out.push(event('election', { term: s.term + 1 }));
  for (const peer of s.higher) out.push(send(peer, { type: 'election', term: s.term }));
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
  for (const peer of s.others) out.push(send(peer, { type: 'coordinator', term }));
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
