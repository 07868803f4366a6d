// Primary-backup replication of a key-value store (Maelstrom lin-kv: read, write, cas).
// The primary applies each write, then forwards it to every backup; `sync` answers the
// client after all live backups acked, `async` at once. The primary is fixed, or chosen
// by the embedded bully election (primary = 'elect'). On a change of primary the new one
// continues from its own log, and backups resync to it: in async mode, writes the old
// primary acknowledged but never passed on are lost, which is the lesson.
//
// Sync mode with an elected primary is safe through crashes, restarts and pauses, after
// Viewstamped Replication, kept small: the election ranks candidates by log position (the
// term of the last entry's primary session, then the last index; id only breaks ties), so
// the new primary is the most up-to-date live log, which holds every acknowledged write (each
// was acked by every live backup). A replica that restarted (its log gone: nothing is kept on
// disk) is recovering: it never stands, and it forwards client requests and resyncs as a
// backup until it has caught up with a primary. Limits: reads are not leased, so a cut-off or
// paused primary can still answer a stale read; and a write survives only while some replica
// that holds it stays up (losing every such replica's state at once loses it, and then
// every replica is recovering and none is elected again).
import type { Body, Output, Program, Protocol } from '../../sdk/index.js';
import { event, reply, state } from '../../sdk/index.js';
import { bullyParams, bullyTimingFrom, initBully, isBullyInput, stepBully } from '../election/bully.js';
import { forwardStamper } from '../forwarded/forward-stamp.js';
import { handleOnce, receivedForwards } from '../forwarded/received-forwards.js';
import { onReplicate, onSyncEntries, onSyncSnapshot, onSyncTimer, startResync, SYNC_TIMER } from './backup.js';
import { failForwardsToFormerPrimary, FORWARD_TIMER_PREFIX, forwardRequest, onForwardTimeout, relayAnswer } from './forwarding.js';
import { ERROR_NOT_SUPPORTED, ERROR_TEMPORARILY_UNAVAILABLE, errorBody } from './kv-store.js';
import { becomePrimary, NUDGE_TIMER, onNudgeTimer, onPendingTimeout, onReplicateOk, onSyncRequest, PENDING_TIMER_PREFIX, serveRequest, stopBeingPrimary } from './primary.js';
import { emptyLog } from './replica-log.js';
import { currentPrimary, logPosition, reportProgress, type ReplicaState } from './replica-state.js';

const CLIENT_REQUESTS = new Set(['read', 'write', 'cas']);

const protocol: Protocol<ReplicaState> = {
  init({ self, peers, params, now, restarted }) {
    const elect = String(params.primary) === 'elect';
    const s: ReplicaState = {
      self,
      others: peers.filter((p) => p !== self),
      mode: params.mode === 'async' ? 'async' : 'sync',
      fixedPrimary: elect ? null : String(params.primary),
      election: null,
      startedAt: now,
      restarted: restarted === true,
      caughtUp: false,
      replicationTimeout: Number(params.replicationTimeout),
      gapTimeout: Number(params.gapTimeout),
      kv: new Map(),
      log: emptyLog(),
      commit: 0,
      primary: null,
      formerPrimary: null,
      buffer: new Map(),
      syncWanted: false,
      syncTimerArmed: false,
      forwards: new Map(),
      forwardStamps: forwardStamper(now),
      receivedForwards: receivedForwards(),
      nextMsgId: 1,
      reported: { applied: -1, last: -1, commit: -1 },
    };
    const out: Output[] = [];
    if (elect) {
      // Sync mode ranks candidates by log, so that the new primary holds every committed write; async stays the plain bully (the lesson).
      const byLog = s.mode === 'sync' ? { position: logPosition(s) } : undefined;
      const [election, electionOut] = initBully(self, peers, bullyTimingFrom(params), byLog);
      s.election = election;
      out.push(...electionOut);
    } else {
      announceFixedPrimary(s, s.fixedPrimary!, out);
    }
    followPrimary(s, null, out);
    reportProgress(s, out);
    return [s, out];
  },
  step(s, input) {
    const out: Output[] = [];
    const before = currentPrimary(s);
    if (s.election && isBullyInput(input)) {
      if (s.election.byLog) s.election.position = logPosition(s);
      out.push(...stepBully(s.election, input)[1]);
    }
    else if (input.kind === 'timer') onTimer(s, input.name, out);
    else onMessage(s, input.from, input.body, out);
    followPrimary(s, before, out);
    reportProgress(s, out);
    return [s, out];
  },
};

/** A fixed primary is announced once, in the election's terms (term 0), for the same views. */
function announceFixedPrimary(s: ReplicaState, primary: string, out: Output[]): void {
  const role = primary === s.self ? 'leader' : 'follower';
  out.push(event('leader', { leader: primary, term: 0 }), event('role', { role, term: 0 }));
  out.push(state('term', 0), state('leader', primary), state('role', role));
}

/** Takes up or gives up the primary's duties, and resyncs with a new primary. */
function followPrimary(s: ReplicaState, before: string | null, out: Output[]): void {
  const primary = currentPrimary(s);
  if (primary !== null && primary !== s.self) s.formerPrimary = primary;
  if (primary === s.self && !s.primary) becomePrimary(s, out);
  else if (primary !== s.self && s.primary) stopBeingPrimary(s, out);
  if (primary === before) return;
  failForwardsToFormerPrimary(s, out);
  if (primary !== null && primary !== s.self) startResync(s, out);
}

function onMessage(s: ReplicaState, from: string, body: Body, out: Output[]): void {
  switch (body.type) {
    case 'replicate':
      return onReplicate(s, from, body, out);
    case 'replicate_ok':
      if (s.primary) onReplicateOk(s, s.primary, from, body, out);
      return;
    case 'sync_request':
      if (s.primary) onSyncRequest(s, s.primary, from, body, out);
      return;
    case 'sync_entries':
      return onSyncEntries(s, from, body, out);
    case 'sync_snapshot':
      return onSyncSnapshot(s, from, body, out);
  }
  if (relayAnswer(s, body, out)) return;
  const fromPeer = s.others.includes(from);
  if (CLIENT_REQUESTS.has(body.type)) {
    // A relayed request is taken once: a copy the network duplicated is neither applied nor refused again.
    handleOnce(s.receivedForwards, from, body, out, () => {
      if (s.primary) serveRequest(s, s.primary, from, body, out);
      // A request relayed by a backup takes one hop only, so views in flux cannot loop it.
      else if (fromPeer) out.push(reply(from, body, errorBody(ERROR_TEMPORARILY_UNAVAILABLE, 'not the primary')));
      else forwardRequest(s, from, body, out);
    });
    return;
  }
  if (!fromPeer && body.msg_id !== undefined) {
    out.push(reply(from, body, errorBody(ERROR_NOT_SUPPORTED, `${body.type} is not supported`)));
  }
}

function onTimer(s: ReplicaState, name: string, out: Output[]): void {
  if (name === SYNC_TIMER) onSyncTimer(s, out);
  else if (name === NUDGE_TIMER) {
    if (s.primary) onNudgeTimer(s, s.primary, out);
  }
  else if (name.startsWith(PENDING_TIMER_PREFIX)) {
    if (s.primary) onPendingTimeout(s, s.primary, Number(name.slice(PENDING_TIMER_PREFIX.length)), out);
  } else if (name.startsWith(FORWARD_TIMER_PREFIX)) onForwardTimeout(s, Number(name.slice(FORWARD_TIMER_PREFIX.length)), out);
}

export const primaryBackup: Program = {
  name: 'primary-backup',
  description: 'Primary-backup replication of a key-value store, sync or async, with a fixed primary or one chosen by the bully election.',
  params: [
    { name: 'mode', default: 'sync', oneOf: ['sync', 'async'], description: "'sync': the primary answers a write once every live backup acked it; 'async': at once" },
    { name: 'primary', default: 'n1', oneOf: ['elect'], orNodeId: true, description: "the primary's node id, or 'elect' to let the bully election choose it (the leader is the primary; in sync mode the most up-to-date live log, never a replica recovering from a restart)" },
    {
      name: 'replicationTimeout',
      default: 500,
      unit: 'ms',
      min: 1,
      description: 'sync mode: a write some live backup has not acked this long fails with error 0 (its outcome unknown), and that backup is no longer waited for until it acks again',
    },
    { name: 'gapTimeout', default: 100, unit: 'ms', min: 1, description: "a backup missing entries (or parted from the primary's log) this long asks the primary to resend them" },
    ...bullyParams.map((p) => ({ ...p, description: `with primary 'elect': ${p.description}` })),
  ],
  protocol,
};
