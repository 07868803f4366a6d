// The Raft state machine: builds a member's state and routes each input to the part of
// the algorithm it belongs to.
import type { Body, Output, Params, Protocol, StartInput } from '../../sdk/index.js';
import { createRng, state } from '../../sdk/index.js';
import { forwardStamper } from '../forwarded/forward-stamp.js';
import { handleOnce, receivedForwards } from '../forwarded/received-forwards.js';
import { expireProxiedRequest, handleClientRequest, relayProxiedAnswer } from './clients.js';
import { handleRequestVote, handleVoteReply, startElection } from './election.js';
import { handleAppendEntries, handleInstallSnapshot } from './follower.js';
import { handleAppendReply, sendHeartbeats } from './replication.js';
import { ELECTION_TIMER, HEARTBEAT_TIMER, resetElectionTimer } from './roles.js';
import type { RaftConfig, RaftState } from './types.js';

function configFrom(params: Params, replicateLog: boolean): RaftConfig {
  // Zero intervals would make timers fire in a loop at one instant.
  const electionTimeoutMin = Math.max(1, Number(params.electionTimeoutMin));
  return {
    replicateLog,
    electionTimeoutMin,
    electionTimeoutMax: Math.max(electionTimeoutMin, Number(params.electionTimeoutMax)),
    heartbeatInterval: Math.max(1, Number(params.heartbeatInterval)),
    maxEntriesPerAppend: Math.max(1, Number(params.maxEntriesPerAppend ?? 64)),
    logCompactionThreshold: Math.max(2, Number(params.logCompactionThreshold ?? 1000)),
  };
}

function initialState(input: StartInput, replicateLog: boolean): RaftState {
  return {
    self: input.self,
    peers: input.peers.filter((p) => p !== input.self),
    config: configFrom(input.params, replicateLog),
    rng: createRng(input.seed, input.self),
    currentTerm: 0,
    votedFor: null,
    entries: [],
    snapshotIndex: 0,
    snapshotTerm: 0,
    role: 'follower',
    leader: null,
    commitIndex: 0,
    lastApplied: 0,
    kv: new Map(),
    votesGranted: new Set(),
    progress: new Map(),
    pending: new Map(),
    proxied: new Map(),
    nextMsgId: 1,
    forwardStamps: forwardStamper(input.now),
    receivedForwards: receivedForwards(),
  };
}

const CLIENT_REQUESTS = new Set(['read', 'write', 'cas']);

function onMessage(s: RaftState, from: string, body: Body, out: Output[]): void {
  if (!s.peers.includes(from)) {
    handleClientRequest(s, from, body, out);
    return;
  }
  switch (body.type) {
    case 'request_vote':
      return handleRequestVote(s, from, body, out);
    case 'request_vote_res':
      return handleVoteReply(s, from, body, out);
    case 'append_entries':
      return handleAppendEntries(s, from, body, out);
    case 'install_snapshot':
      return handleInstallSnapshot(s, from, body, out);
    case 'append_entries_res':
    case 'install_snapshot_res':
      return handleAppendReply(s, from, body, out);
  }
  if (body.in_reply_to !== undefined && relayProxiedAnswer(s, body, out)) return;
  // A request a follower forwarded: a copy the network duplicated is taken once, whatever our role is by then.
  if (CLIENT_REQUESTS.has(body.type)) handleOnce(s.receivedForwards, from, body, out, () => handleClientRequest(s, from, body, out));
}

function onTimer(s: RaftState, name: string, out: Output[]): void {
  if (name === ELECTION_TIMER) {
    if (s.role !== 'leader') startElection(s, out);
  } else if (name === HEARTBEAT_TIMER) {
    if (s.role === 'leader') sendHeartbeats(s, out);
  } else {
    expireProxiedRequest(s, name, out);
  }
}

/** One implementation for both programs: `replicateLog` off leaves only the election. */
export function raftProtocol(replicateLog: boolean): Protocol<RaftState> {
  return {
    init(input) {
      const s = initialState(input, replicateLog);
      // The commit index is not published as state: the commit_index metric already records it.
      const out: Output[] = [state('role', s.role), state('term', s.currentTerm), state('leader', s.leader), resetElectionTimer(s)];
      return [s, out];
    },
    step(s, input) {
      const out: Output[] = [];
      if (input.kind === 'message') onMessage(s, input.from, input.body, out);
      else onTimer(s, input.name, out);
      return [s, out];
    },
  };
}
