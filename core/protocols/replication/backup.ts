// A backup applies the primary's writes in index order. Entries that arrive ahead of a
// gap wait in a buffer; if the gap persists for gapTimeout, or if the log parts from the
// primary's (a new primary, a restarted one), the backup asks to resync with
// `sync_request` and undoes whatever the primary's log does not hold (a `truncate`).
import type { Body, Output } from '../../sdk/index.js';
import { cancelTimer, event, send, setTimer } from '../../sdk/index.js';
import { integerField } from '../../sdk/body-fields.js';
import { undoWrite, type Kv, type WriteOp } from './kv-store.js';
import { resetTo, runsFrom, sidAt, sidOf, truncateAfter, windowStart, type WireEntry } from './replica-log.js';
import { applyEntry, currentPrimary, type ReplicaState } from './replica-state.js';

export const SYNC_TIMER = 'sync';
/** Entries held ahead of a gap; beyond this the resync fetches them instead. */
const BUFFER_LIMIT = 1000;

/** Messages from anyone but the primary we know are ignored: it may be a deposed one. */
const fromPrimary = (s: ReplicaState, from: string): boolean => !s.primary && from === currentPrimary(s);

export function onReplicate(s: ReplicaState, from: string, body: Body, out: Output[]): void {
  if (!fromPrimary(s, from)) return;
  const entry = wireEntryFrom(body);
  if (!entry) return;
  learnCommit(s, body.commit);
  const last = s.log.last;
  if (entry.index <= last) {
    // A resend of an entry we hold is acked again; a different entry means our logs parted.
    if (sidOf(s.log, entry.index) === entry.sid) ack(s, out);
    else requestSync(s, out);
    return;
  }
  if (entry.index > last + 1) {
    if (s.buffer.size < BUFFER_LIMIT) s.buffer.set(entry.index, { entry, prevSid: String(body.prevSid) });
    armSyncTimer(s, out);
    return;
  }
  if (sidOf(s.log, last) !== body.prevSid) {
    requestSync(s, out);
    return;
  }
  applyEntry(s, entry, out);
  drainBuffer(s, out);
  ack(s, out);
  settle(s, out);
}

export function onSyncEntries(s: ReplicaState, from: string, body: Body, out: Output[]): void {
  if (!fromPrimary(s, from) || !Array.isArray(body.entries)) return;
  const keep = Number(body.prev);
  // The reply may be older than replicates that arrived since: entries we already hold are
  // skipped, and only a conflicting one (another sid at its index) cuts our log short.
  if (!(keep <= s.log.last) || sidOf(s.log, keep) !== body.prevSid) return resyncLater(s, out);
  let covered = keep;
  for (const raw of body.entries) {
    const entry = wireEntryFrom(raw);
    if (!entry || entry.index !== covered + 1) break;
    covered = entry.index;
    if (entry.index <= s.log.last) {
      if (sidOf(s.log, entry.index) === entry.sid) continue;
      if (!truncateTo(s, entry.index - 1, out)) return resyncLater(s, out);
    }
    applyEntry(s, entry, out);
  }
  // Held entries past the primary's log that are not its own (an old primary's) are gone.
  const primaryLast = Number(body.last);
  if (covered >= primaryLast && s.log.last > primaryLast && sidOf(s.log, s.log.last) !== body.sid) {
    if (!truncateTo(s, primaryLast, out)) return resyncLater(s, out);
  }
  learnCommit(s, body.commit);
  drainBuffer(s, out);
  ack(s, out);
  if (primaryLast > covered) sendSyncRequest(s, out); // the next batch
  else {
    s.syncWanted = false;
    s.caughtUp = true; // in line with the primary's log: no longer recovering
  }
  settle(s, out);
}

/** The primary no longer holds the entries we lack (or we cannot undo ours): take its state. */
export function onSyncSnapshot(s: ReplicaState, from: string, body: Body, out: Output[]): void {
  const index = integerField(body, 'index');
  const keep = integerField(body, 'keep');
  // A snapshot whose position or pairs a corrupting network changed would set the log to NaN or make new Map throw.
  if (!fromPrimary(s, from) || index === undefined || keep === undefined || !isKeyValuePairs(body.kv)) return;
  const runs = runsFrom(body.runs);
  // Replicates overtook the reply: we hold its state already, and past it only the primary's own entries.
  const held = sidOf(s.log, index);
  const overtaken = held !== undefined && held === sidAt(runs, index, index) && (s.log.last === index || sidOf(s.log, s.log.last) === body.sid);
  if (!overtaken) {
    if (s.log.last > keep) out.push(event('truncate', { from: s.log.last, to: keep }));
    s.kv = new Map(body.kv) as Kv;
    resetTo(s.log, index, runs);
    out.push(event('snapshot', { index }));
  }
  learnCommit(s, body.commit);
  drainBuffer(s, out);
  ack(s, out);
  s.syncWanted = false;
  s.caughtUp = true;
  settle(s, out);
}

function resyncLater(s: ReplicaState, out: Output[]): void {
  s.syncWanted = true;
  armSyncTimer(s, out);
}

export function onSyncTimer(s: ReplicaState, out: Output[]): void {
  s.syncTimerArmed = false;
  if (s.primary || !currentPrimary(s)) return;
  if (!s.syncWanted && s.buffer.size === 0) return;
  sendSyncRequest(s, out);
  armSyncTimer(s, out);
}

/** Asks at once unless a request went out within gapTimeout; the timer repeats it until answered. */
export function requestSync(s: ReplicaState, out: Output[]): void {
  s.syncWanted = true;
  if (s.syncTimerArmed) return;
  sendSyncRequest(s, out);
  armSyncTimer(s, out);
}

function sendSyncRequest(s: ReplicaState, out: Output[]): void {
  const primary = currentPrimary(s);
  if (!primary || primary === s.self) return;
  out.push(send(primary, { type: 'sync_request', from: s.log.last + 1, runs: [...s.log.runs], undoFloor: windowStart(s.log) - 1 }));
}

/** In line with the primary and no gap: the next gap gets a full gapTimeout before we ask. */
function settle(s: ReplicaState, out: Output[]): void {
  if (s.syncWanted || s.buffer.size > 0 || !s.syncTimerArmed) return;
  s.syncTimerArmed = false;
  out.push(cancelTimer(SYNC_TIMER));
}

function armSyncTimer(s: ReplicaState, out: Output[]): void {
  if (s.syncTimerArmed) return;
  s.syncTimerArmed = true;
  out.push(setTimer(SYNC_TIMER, s.gapTimeout));
}

/** Undoes the entries after `keep`, newest first; false when they are older than our undo records. */
function truncateTo(s: ReplicaState, keep: number, out: Output[]): boolean {
  const from = s.log.last;
  const removed = truncateAfter(s.log, keep);
  if (!removed) return false;
  for (const entry of removed) undoWrite(s.kv, entry.op, entry.undo);
  if (removed.length) out.push(event('truncate', { from, to: keep }));
  return true;
}

/** Applies buffered entries that now follow on; one that does not fit our log forces a resync. */
function drainBuffer(s: ReplicaState, out: Output[]): void {
  for (const index of s.buffer.keys()) if (index <= s.log.last) s.buffer.delete(index);
  for (let next = s.buffer.get(s.log.last + 1); next; next = s.buffer.get(s.log.last + 1)) {
    s.buffer.delete(next.entry.index);
    if (sidOf(s.log, s.log.last) !== next.prevSid) {
      s.buffer.clear();
      requestSync(s, out);
      return;
    }
    applyEntry(s, next.entry, out);
  }
}

function ack(s: ReplicaState, out: Output[]): void {
  const primary = currentPrimary(s);
  if (primary) out.push(send(primary, { type: 'replicate_ok', index: s.log.last, sid: sidOf(s.log, s.log.last) ?? '' }));
}

function learnCommit(s: ReplicaState, commit: unknown): void {
  if (typeof commit === 'number' && commit > s.commit) s.commit = commit;
}

function wireEntryFrom(raw: unknown): WireEntry | null {
  const e = raw as Partial<WireEntry> | null;
  if (!e || typeof e.index !== 'number' || typeof e.sid !== 'string' || typeof e.op !== 'object' || e.op === null) return null;
  const op = e.op as WriteOp;
  if (op.type !== 'write' && op.type !== 'cas') return null;
  return { index: e.index, term: Number(e.term ?? 0), sid: e.sid, op };
}

/** A new primary: forget what the old one sent ahead of a gap and line up with the new one's log. */
export function startResync(s: ReplicaState, out: Output[]): void {
  s.buffer.clear();
  s.syncWanted = true;
  sendSyncRequest(s, out);
  armSyncTimer(s, out);
}

function isKeyValuePairs(value: unknown): value is Array<[string, unknown]> {
  return Array.isArray(value) && value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string');
}
