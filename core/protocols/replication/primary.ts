// The primary: applies each write to its own log and state first, then forwards it to
// every backup. Sync mode answers the client once every backup acked (but a primary it
// replaced in an election); async mode at
// once. It also brings backups that fell behind or parted from its log back in line.
import type { Body, Output } from '../../sdk/index.js';
import { cancelTimer, log, reply, send, setTimer } from '../../sdk/index.js';
import { casError, ERROR_NOT_SUPPORTED, ERROR_OUTCOME_UNKNOWN, ERROR_TEMPORARILY_UNAVAILABLE, errorBody, readAnswer, writeOpFrom } from './kv-store.js';
import { commonPrefix, entriesAfter, runsFrom, sidOf, toWire } from './replica-log.js';
import { applyEntry, currentTerm, type PrimaryDuty, type ReplicaState } from './replica-state.js';

export const PENDING_TIMER_PREFIX = 'replicate.';
export const NUDGE_TIMER = 'nudge';
/** Most entries in one resync reply; a backup asks again for the rest. */
const SYNC_BATCH = 100;

export function becomePrimary(s: ReplicaState, out: Output[]): void {
  // Taking over means the former primary failed: sync writes do not wait for it (until it acks).
  const down = new Set(s.formerPrimary ? [s.formerPrimary] : []);
  s.caughtUp = true;
  s.primary = { sid: `${s.self}:${s.startedAt}:${currentTerm(s)}`, match: new Map(), down, pending: new Map(), nudgeArmed: false };
  // The commit index learnt as a backup, but never beyond what this log holds.
  s.commit = Math.min(s.commit, s.log.last);
  s.buffer.clear();
  s.syncWanted = false;
  // The new primary reports where it stands at once.
  s.reported.last = -1;
  s.reported.commit = -1;
  out.push(log(`primary from index ${s.log.last} (term ${currentTerm(s)})`));
}

/** A primary that loses its role cannot tell whether its waiting writes survive: error 0 (unknown). */
export function stopBeingPrimary(s: ReplicaState, out: Output[]): void {
  for (const [index, p] of s.primary?.pending ?? []) {
    out.push(cancelTimer(PENDING_TIMER_PREFIX + index));
    out.push(answer(p.client, p.msgId, errorBody(ERROR_OUTCOME_UNKNOWN, 'no longer the primary; the write may or may not survive')));
  }
  s.primary = null;
}

export function serveRequest(s: ReplicaState, duty: PrimaryDuty, from: string, body: Body, out: Output[]): void {
  if (body.type === 'read') {
    out.push(reply(from, body, readAnswer(s.kv, body.key)));
    return;
  }
  const op = writeOpFrom(body);
  if (!op) {
    out.push(reply(from, body, errorBody(ERROR_NOT_SUPPORTED, `${body.type} is not supported`)));
    return;
  }
  const refused = op.type === 'cas' ? casError(s.kv, op.key, op.from) : null;
  if (refused) {
    out.push(reply(from, body, refused));
    return;
  }
  const prevSid = sidOf(s.log, s.log.last) ?? '';
  const entry = { index: s.log.last + 1, term: currentTerm(s), sid: duty.sid, op };
  applyEntry(s, entry, out);
  for (const backup of s.others) out.push(send(backup, { type: 'replicate', ...entry, prevSid, commit: s.commit }));
  armNudge(s, duty, out);
  const okType = `${body.type}_ok`;
  if (s.mode === 'async') {
    out.push(reply(from, body, { type: okType }));
    return;
  }
  duty.pending.set(entry.index, { client: from, msgId: body.msg_id, okType });
  out.push(setTimer(PENDING_TIMER_PREFIX + entry.index, s.replicationTimeout));
  advanceCommit(s, duty, out); // with no live backup the write is done already
}

export function onReplicateOk(s: ReplicaState, duty: PrimaryDuty, from: string, body: Body, out: Output[]): void {
  const index = Number(body.index);
  // An ack counts only for an entry of our own log (not one the backup is about to undo).
  if (!s.others.includes(from) || sidOf(s.log, index) !== body.sid) return;
  duty.match.set(from, Math.max(duty.match.get(from) ?? 0, index));
  duty.down.delete(from);
  if (s.mode === 'sync') advanceCommit(s, duty, out);
}

/**
 * A backup that did not ack in time fails the write (error 0, outcome unknown). The primary keeps waiting
 * for it: dropping a backup on its own say-so is how a cut-off primary would go on
 * committing alone (split brain). Only an election excludes a node, the primary it replaced.
 */
export function onPendingTimeout(s: ReplicaState, duty: PrimaryDuty, index: number, out: Output[]): void {
  const pending = duty.pending.get(index);
  if (!pending) return;
  duty.pending.delete(index);
  const silent = s.others.filter((b) => !duty.down.has(b) && (duty.match.get(b) ?? 0) < index);
  out.push(log(`index ${index} not acknowledged in time by ${silent.join(', ')}; the write fails`));
  out.push(answer(pending.client, pending.msgId, errorBody(ERROR_OUTCOME_UNKNOWN, 'backups did not acknowledge in time; the write may or may not survive')));
}

/**
 * A backup that missed the newest replicate learns of it from no later one. While some
 * backup has not acked the newest entry, it gets that entry again each gapTimeout: a
 * duplicate is acked, and one ahead of a gap makes the backup resync.
 */
export function onNudgeTimer(s: ReplicaState, duty: PrimaryDuty, out: Output[]): void {
  duty.nudgeArmed = false;
  const lagging = s.others.filter((b) => (duty.match.get(b) ?? 0) < s.log.last);
  const newest = entriesAfter(s.log, s.log.last - 1, 1)?.[0];
  if (!lagging.length || !newest) return;
  const prevSid = sidOf(s.log, newest.index - 1) ?? '';
  for (const backup of lagging) out.push(send(backup, { type: 'replicate', ...toWire(newest), prevSid, commit: s.commit }));
  armNudge(s, duty, out);
}

function armNudge(s: ReplicaState, duty: PrimaryDuty, out: Output[]): void {
  if (duty.nudgeArmed) return;
  duty.nudgeArmed = true;
  out.push(setTimer(NUDGE_TIMER, s.gapTimeout));
}

/** Sync mode: the commit index is the highest index every backup acked (but a replaced primary). */
function advanceCommit(s: ReplicaState, duty: PrimaryDuty, out: Output[]): void {
  const live = s.others.filter((b) => !duty.down.has(b));
  const acked = live.length ? Math.min(...live.map((b) => duty.match.get(b) ?? 0)) : s.log.last;
  s.commit = Math.max(s.commit, Math.min(acked, s.log.last));
  for (const [index, p] of duty.pending) {
    if (index > s.commit) break; // pending writes are kept in index order
    duty.pending.delete(index);
    out.push(cancelTimer(PENDING_TIMER_PREFIX + index), answer(p.client, p.msgId, { type: p.okType }));
  }
}

/**
 * A backup describes its log by its session boundaries; the common prefix tells it what to
 * keep. It gets the entries after that, or a snapshot when they (or its undo records) are gone.
 */
export function onSyncRequest(s: ReplicaState, duty: PrimaryDuty, from: string, body: Body, out: Output[]): void {
  if (!s.others.includes(from)) return;
  const theirs = { runs: runsFrom(body.runs), last: Math.max(0, Number(body.from) - 1) };
  const keep = commonPrefix(s.log, theirs);
  const batch = entriesAfter(s.log, keep, SYNC_BATCH);
  const cannotUndo = theirs.last > keep && keep < Number(body.undoFloor);
  if (batch && !cannotUndo) {
    const prevSid = sidOf(s.log, keep);
    const reply = { type: 'sync_entries', sid: duty.sid, prev: keep, prevSid, entries: batch.map(toWire), last: s.log.last, commit: s.commit };
    out.push(send(from, reply));
    return;
  }
  const snapshot = { type: 'sync_snapshot', sid: duty.sid, index: s.log.last, runs: [...s.log.runs], kv: [...s.kv.entries()], keep, commit: s.commit };
  out.push(send(from, snapshot));
}

const answer = (to: string, msgId: number | undefined, body: Body): Output => send(to, { ...body, in_reply_to: msgId });
