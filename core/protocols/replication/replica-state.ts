// What a primary-backup replica keeps, whichever role it plays, and the bits every role
// needs: who the primary is, the current term, applying an entry with its telemetry.
import type { Output } from '../../sdk/index.js';
import { event, metric } from '../../sdk/index.js';
import { bullyLeader, type BullyState, type LogPosition } from '../election/bully.js';
import type { ForwardStamper } from '../forwarded/forward-stamp.js';
import type { ReceivedForwards } from '../forwarded/received-forwards.js';
import { applyWrite, opDigest, type Kv } from './kv-store.js';
import { append, sidOf, sidTerm, type ReplicaLog, type WireEntry } from './replica-log.js';

export type ReplicationMode = 'sync' | 'async';

/** A client write the primary answers once every live backup has acked it (sync mode). */
export interface PendingWrite {
  client: string;
  msgId: number | undefined;
  okType: string;
}

/** Present while this replica is the primary. */
export interface PrimaryDuty {
  /** Names this primary incarnation's entries: node, start time and term. */
  sid: string;
  /** Highest index each backup acked in this session. */
  match: Map<string, number>;
  /** Backups that missed an ack deadline: writes stop waiting for them until they ack again. */
  down: Set<string>;
  pending: Map<number, PendingWrite>;
  nudgeArmed: boolean;
}

/** A replicate that arrived ahead of a gap, with the sid its predecessor must have. */
export interface BufferedEntry {
  entry: WireEntry;
  prevSid: string;
}

export interface ReplicaState {
  self: string;
  others: string[];
  mode: ReplicationMode;
  /** The configured primary, or null when the embedded bully election picks it. */
  fixedPrimary: string | null;
  election: BullyState | null;
  startedAt: number;
  /** This incarnation is a restart (StartInput.restarted): its log is gone, it must recover. */
  restarted: boolean;
  /**
   * Sync mode with an elected primary: whether this incarnation has been in line with a
   * primary (or been one). A restarted replica comes back with an empty log: until it has
   * caught up it is recovering and may not be elected. (So is a replica that learns the
   * cluster has a history, a term above 0, where the runtime does not say it restarted.)
   */
  caughtUp: boolean;
  replicationTimeout: number;
  gapTimeout: number;
  kv: Kv;
  log: ReplicaLog;
  /** The commit index, as the primary set it (a backup learns it from replicates). */
  commit: number;
  primary: PrimaryDuty | null;
  /** The last other node known as primary: a new primary presumes it dead. */
  formerPrimary: string | null;
  buffer: Map<number, BufferedEntry>;
  /** A backup whose log may not match the primary's asks to resync until it does. */
  syncWanted: boolean;
  syncTimerArmed: boolean;
  /** Client requests relayed to the primary, by the msg_id we gave them. */
  forwards: Map<number, { client: string; msgId: number | undefined; primary: string }>;
  /** Stamps for the requests this replica relays, and the relayed requests it took (a duplicate is not applied twice). */
  forwardStamps: ForwardStamper;
  receivedForwards: ReceivedForwards;
  nextMsgId: number;
  /** Metric values last emitted, so that each is emitted only when it changes. */
  reported: { applied: number; last: number; commit: number };
}

export const currentPrimary = (s: ReplicaState): string | null => (s.election ? bullyLeader(s.election) : s.fixedPrimary);

export const currentTerm = (s: ReplicaState): number => (s.election ? s.election.term : 0);

/**
 * Where this replica stands for the election (sync mode): the term of its last entry's
 * primary session and its last index, so that the most up-to-date live log wins; null while
 * it recovers. Sync mode commits an entry only once every live backup holds it, so that log
 * holds every committed entry.
 */
export function logPosition(s: ReplicaState): LogPosition {
  if (!s.caughtUp && (s.restarted || currentTerm(s) > 0)) return null;
  return [sidTerm(sidOf(s.log, s.log.last) ?? ''), s.log.last];
}

export function applyEntry(s: ReplicaState, entry: WireEntry, out: Output[]): void {
  const undo = applyWrite(s.kv, entry.op);
  append(s.log, { ...entry, undo });
  out.push(event('apply', { index: entry.index, term: entry.term, key: entry.op.key, digest: opDigest(entry.op) }));
}

/** Emits applied_index on every replica, and last_index/commit_index on the primary, when they moved. */
export function reportProgress(s: ReplicaState, out: Output[]): void {
  if (s.log.last !== s.reported.applied) out.push(metric('applied_index', (s.reported.applied = s.log.last)));
  if (!s.primary) return;
  if (s.mode === 'async') s.commit = s.log.last;
  if (s.log.last !== s.reported.last) out.push(metric('last_index', (s.reported.last = s.log.last)));
  if (s.commit !== s.reported.commit) out.push(metric('commit_index', (s.reported.commit = s.commit)));
}
