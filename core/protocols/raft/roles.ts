// Term, role and leader changes, each with its telemetry, and the two timers that drive
// them: a randomized election timeout (§5.2) and the leader's heartbeat.
import type { Output } from '../../sdk/index.js';
import { cancelTimer, event, setTimer, state } from '../../sdk/index.js';
import { ERROR_TIMEOUT, answer, errorBody } from './kv.js';
import type { RaftState, Role } from './types.js';

export const ELECTION_TIMER = 'election';
export const HEARTBEAT_TIMER = 'heartbeat';

/** A fresh random timeout in [min, max], so that split votes rarely repeat. */
export function resetElectionTimer(s: RaftState): Output {
  const { electionTimeoutMin: min, electionTimeoutMax: max } = s.config;
  const span = Math.max(0, Math.floor(max - min));
  return setTimer(ELECTION_TIMER, min + s.rng.int(span + 1));
}

export function setTerm(s: RaftState, term: number, out: Output[]): void {
  if (term === s.currentTerm) return;
  s.currentTerm = term;
  s.votedFor = null;
  out.push(event('term', { term }), state('term', term));
  // A leader is elected for one term only.
  setLeader(s, null, out);
}

export function setLeader(s: RaftState, leader: string | null, out: Output[]): void {
  if (leader === s.leader) return;
  s.leader = leader;
  out.push(event('leader', { leader, term: s.currentTerm }), state('leader', leader));
}

export function setRole(s: RaftState, role: Role, out: Output[]): void {
  if (role === s.role) return;
  const wasLeader = s.role === 'leader';
  s.role = role;
  out.push(event('role', { role, term: s.currentTerm }), state('role', role));
  if (wasLeader) stopLeading(s, out);
}

/** Any message with a higher term makes us a follower of that term (figure 2, all servers). */
export function observeTerm(s: RaftState, term: number, out: Output[]): void {
  if (term <= s.currentTerm) return;
  setTerm(s, term, out);
  becomeFollower(s, out);
}

export function becomeFollower(s: RaftState, out: Output[]): void {
  if (s.role === 'follower') return;
  setRole(s, 'follower', out);
  s.votesGranted.clear();
  out.push(resetElectionTimer(s));
}

/**
 * A deposed leader cannot tell whether its uncommitted entries will survive, so waiting
 * clients get error 0 (timeout), which is indefinite: the entry may still commit. Error 11
 * would tell the checker that the write surely did not happen.
 */
function stopLeading(s: RaftState, out: Output[]): void {
  out.push(cancelTimer(HEARTBEAT_TIMER));
  for (const request of s.pending.values()) {
    out.push(answer(request.replyTo, request.msgId, errorBody(ERROR_TIMEOUT, 'leadership lost; the outcome is unknown')));
  }
  s.pending.clear();
  s.progress.clear();
}
