// Leader election (§5.2, §5.4.1): a follower that hears no leader for a randomized
// timeout becomes a candidate of the next term and asks every peer for its vote; a
// majority makes it leader of that term.
import type { Body, Output } from '../../sdk/index.js';
import { cancelTimer, event, ignoredMalformed, integerField, send, setTimer } from '../../sdk/index.js';
import { isUpToDate, lastLogIndex, lastLogTerm } from './log.js';
import { appendLocally, majority, sendHeartbeats, startLeading } from './replication.js';
import { ELECTION_TIMER, observeTerm, resetElectionTimer, setLeader, setRole, setTerm } from './roles.js';
import type { RaftState } from './types.js';

export function startElection(s: RaftState, out: Output[]): void {
  setTerm(s, s.currentTerm + 1, out);
  setRole(s, 'candidate', out);
  s.votedFor = s.self;
  s.votesGranted = new Set([s.self]);
  out.push(event('election', { term: s.currentTerm }), resetElectionTimer(s));
  if (s.votesGranted.size >= majority(s)) {
    becomeLeader(s, out);
    return;
  }
  const request: Body = { type: 'request_vote', term: s.currentTerm, last_log_index: lastLogIndex(s), last_log_term: lastLogTerm(s) };
  for (const peer of s.peers) out.push(send(peer, request));
}

export function handleRequestVote(s: RaftState, from: string, body: Body, out: Output[]): void {
  const term = integerField(body, 'term');
  const lastIndex = integerField(body, 'last_log_index');
  const lastTerm = integerField(body, 'last_log_term');
  if (term === undefined || lastIndex === undefined || lastTerm === undefined) {
    out.push(ignoredMalformed(from, body));
    return;
  }
  observeTerm(s, term, out);
  const granted = term === s.currentTerm && (s.votedFor === null || s.votedFor === from) && isUpToDate(s, lastIndex, lastTerm);
  if (granted) {
    s.votedFor = from;
    // Granting a vote counts as hearing from a would-be leader: do not compete with it.
    out.push(resetElectionTimer(s));
  }
  out.push(send(from, { type: 'request_vote_res', term: s.currentTerm, vote_granted: granted }));
}

export function handleVoteReply(s: RaftState, from: string, body: Body, out: Output[]): void {
  const term = integerField(body, 'term');
  if (term === undefined) {
    out.push(ignoredMalformed(from, body));
    return;
  }
  observeTerm(s, term, out);
  if (s.role !== 'candidate' || term !== s.currentTerm || body.vote_granted !== true) return;
  s.votesGranted.add(from);
  if (s.votesGranted.size >= majority(s)) becomeLeader(s, out);
}

function becomeLeader(s: RaftState, out: Output[]): void {
  setRole(s, 'leader', out);
  setLeader(s, s.self, out);
  s.votesGranted.clear();
  startLeading(s);
  out.push(cancelTimer(ELECTION_TIMER));
  // §8: a no-op of its own term lets the leader commit what earlier leaders left behind.
  if (s.config.replicateLog) appendLocally(s, { op: 'noop' }, null, out);
  sendHeartbeats(s, out);
}
