// The state of one Raft member and the shapes of what it stores (Ongaro & Ousterhout
// 2014, figure 2). One state serves both programs: with `replicateLog` off the log stays
// empty and only terms, votes and heartbeats run.
import type { Rng } from '../../sdk/index.js';
import type { ForwardStamper } from '../forwarded/forward-stamp.js';
import type { ReceivedForwards } from '../forwarded/received-forwards.js';

export type Role = 'follower' | 'candidate' | 'leader';

/** A state-machine command. `noop` is what a new leader appends to commit its term (§8). */
export type Command =
  | { op: 'noop' }
  | { op: 'read'; key: unknown }
  | { op: 'write'; key: unknown; value: unknown }
  | { op: 'cas'; key: unknown; from: unknown; to: unknown };

/** What a client can ask for. */
export type ClientCommand = Exclude<Command, { op: 'noop' }>;

export interface LogEntry {
  term: number;
  command: Command;
}

export interface RaftConfig {
  /** False for `raft-election`: no log, no state machine, clients get error 10. */
  replicateLog: boolean;
  electionTimeoutMin: number;
  electionTimeoutMax: number;
  heartbeatInterval: number;
  maxEntriesPerAppend: number;
  /** Applied entries kept in memory before they are folded into a snapshot (§7). */
  logCompactionThreshold: number;
}

/** Who is waiting for the result of a log entry the leader appended. */
export interface PendingRequest {
  term: number;
  /** A client, or the follower that forwarded the request on a client's behalf. */
  replyTo: string;
  msgId: number | undefined;
}

/** What the leader knows of one follower's log (figure 2's nextIndex and matchIndex). */
export interface FollowerProgress {
  nextIndex: number;
  matchIndex: number;
  /** Batches with entries sent since the last answer; caps what is in flight. */
  inFlight: number;
  /** Rejections of appends sent before the last rewind are stale: the rewind resent already. */
  rewoundAtMsgId: number;
}

/** A client request this node forwarded to the leader, waiting for the answer. */
export interface ProxiedRequest {
  client: string;
  clientMsgId: number | undefined;
}

export interface RaftState {
  self: string;
  /** Every other member of the cluster. */
  peers: string[];
  config: RaftConfig;
  rng: Rng;

  // Persistent on real servers; here kept in memory only, so a restarted node is a new empty member.
  currentTerm: number;
  votedFor: string | null;
  /** Entries after the snapshot: entries[i] has index snapshotIndex + 1 + i. */
  entries: LogEntry[];
  snapshotIndex: number;
  snapshotTerm: number;

  // Volatile on every member.
  role: Role;
  leader: string | null;
  commitIndex: number;
  lastApplied: number;
  /** The key-value state machine; keys are JSON-encoded so any JSON key works. */
  kv: Map<string, unknown>;
  votesGranted: Set<string>;

  // Volatile on the leader.
  progress: Map<string, FollowerProgress>;
  /** Log index → who waits for its result. */
  pending: Map<number, PendingRequest>;

  /** msg_id of a forwarded request → the client to relay the leader's answer to. */
  proxied: Map<number, ProxiedRequest>;
  nextMsgId: number;
  /** Stamps for the requests this node forwards, and the forwarded requests it took (a duplicate is not appended twice). */
  forwardStamps: ForwardStamper;
  receivedForwards: ReceivedForwards;
}
