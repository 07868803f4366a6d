// The two Raft programs (Ongaro & Ousterhout 2014): `raft-election` runs terms, votes and
// heartbeats only; `raft` adds the replicated log and a key-value state machine.
//
// Durability: figure 2 requires currentTerm, votedFor and the log to reach stable storage
// before a server answers an RPC. A protocol here does no I/O, so all of it lives in
// memory and a restarted node comes back as a new, empty member. That is NOT safe in
// general: a restarted node may vote a second time in a term it already voted in (two
// leaders in one term), and a majority that restarts forgets committed entries. Labs that
// crash and restart nodes show exactly these failures; pausing a node keeps it safe.
import type { ParamSpec, Program } from '../../sdk/index.js';
import { raftProtocol } from './protocol.js';

const timingParams: ParamSpec[] = [
  { name: 'electionTimeoutMin', default: 150, unit: 'ms', min: 1, description: 'shortest randomized election timeout' },
  { name: 'electionTimeoutMax', default: 300, unit: 'ms', min: 1, description: 'longest randomized election timeout' },
  { name: 'heartbeatInterval', default: 50, unit: 'ms', min: 1, description: 'time between the leader\'s AppendEntries to each follower (empty ones are heartbeats)' },
];

export const raftElection: Program = {
  name: 'raft-election',
  description: 'Raft leader election only: terms, RequestVote, randomized timeouts and heartbeats; clients get error 10.',
  params: timingParams,
  protocol: raftProtocol(false),
};

export const raft: Program = {
  name: 'raft',
  description: 'Raft with a replicated log and a linearizable key-value store (read, write, cas); followers forward clients to the leader.',
  params: [
    ...timingParams,
    { name: 'maxEntriesPerAppend', default: 64, unit: 'count', integer: true, min: 1, description: 'most log entries in one AppendEntries' },
    {
      name: 'logCompactionThreshold',
      default: 1000,
      unit: 'count',
      integer: true,
      min: 2,
      description: 'applied entries kept in memory before older ones are dropped; a follower behind them gets a snapshot',
    },
  ],
  protocol: raftProtocol(true),
};
