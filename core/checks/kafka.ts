// The check of Maelstrom's kafka workload, after Jepsen's kafka checker: each offset of a key
// holds one message; no acknowledged send is lost (skipped by every poll though a later
// offset was polled); one client's sends get increasing offsets; a poll returns increasing
// offsets from where it asked, skipping none known to exist; and committed offsets never go
// backwards. Operations of unknown outcome are neither required nor trusted.
import type { HistoryOp } from './history.js';

type Pairs = Array<[number, unknown]>;

export interface KafkaFinding {
  key: string;
  opIds: number[];
  [detail: string]: unknown;
}

export interface KafkaResult {
  valid: boolean;
  acknowledgedSends: number;
  /** Two messages at one offset, or one message at two offsets. */
  inconsistentOffsets: KafkaFinding[];
  /** Acknowledged sends no poll saw, though a poll saw a later offset of their key. */
  lost: KafkaFinding[];
  /** Acknowledged sends no poll saw, with no later offset seen either: not an error (no recency is required). */
  unobserved: number;
  /** One client's sends to a key whose offsets did not increase. */
  nonmonotonicSends: KafkaFinding[];
  /** Polls whose offsets went backwards (within the reply, or before the offset asked for). */
  nonmonotonicPolls: KafkaFinding[];
  /** Polls that jumped over offsets known to exist when they were sent. */
  skips: KafkaFinding[];
  /** Committed offsets read lower than one already committed or read. */
  committedBackwards: KafkaFinding[];
}

const SHOWN = 100;

export function checkKafka(history: readonly HistoryOp[]): KafkaResult {
  const ok = history.filter((op) => op.outcome === 'ok');
  const sends = ok.filter((op) => op.f === 'send' && Number.isSafeInteger(op.detail.offset));
  const polls = ok.filter((op) => op.f === 'poll' && typeof op.detail.msgs === 'object' && op.detail.msgs !== null);
  const { lost, unobserved } = lostSends(sends, polls);
  const { nonmonotonicPolls, skips } = pollOrder(sends, polls);
  const errors = { inconsistentOffsets: inconsistentOffsets(sends, polls), lost, nonmonotonicSends: nonmonotonicSends(sends), nonmonotonicPolls, skips, committedBackwards: committedBackwards(ok) };
  const shown = Object.fromEntries(Object.entries(errors).map(([kind, found]) => [kind, found.slice(0, SHOWN)])) as typeof errors;
  return { valid: Object.values(errors).every((e) => e.length === 0), acknowledgedSends: sends.length, unobserved, ...shown };
}

function msgsOf(poll: HistoryOp): Record<string, Pairs> {
  return poll.detail.msgs as Record<string, Pairs>;
}

/** Every (key, offset, msg) observed, by acknowledged sends and by polls. */
function observations(sends: readonly HistoryOp[], polls: readonly HistoryOp[]): Array<{ key: string; offset: number; msg: string; opId: number }> {
  const out = sends.map((s) => ({ key: String(s.detail.key), offset: s.detail.offset as number, msg: JSON.stringify(s.detail.msg), opId: s.id }));
  for (const p of polls) for (const [key, pairs] of Object.entries(msgsOf(p))) for (const [offset, msg] of pairs) out.push({ key, offset, msg: JSON.stringify(msg), opId: p.id });
  return out;
}

function inconsistentOffsets(sends: readonly HistoryOp[], polls: readonly HistoryOp[]): KafkaFinding[] {
  const atOffset = new Map<string, { key: string; offset: number; msgs: Set<string>; opIds: Set<number> }>();
  const ofMsg = new Map<string, { key: string; msg: string; offsets: Set<number>; opIds: Set<number> }>();
  for (const o of observations(sends, polls)) {
    const a = atOffset.get(`${o.key}\u0000${o.offset}`) ?? { key: o.key, offset: o.offset, msgs: new Set(), opIds: new Set() };
    a.msgs.add(o.msg);
    a.opIds.add(o.opId);
    atOffset.set(`${o.key}\u0000${o.offset}`, a);
    const m = ofMsg.get(`${o.key}\u0000${o.msg}`) ?? { key: o.key, msg: o.msg, offsets: new Set(), opIds: new Set() };
    m.offsets.add(o.offset);
    m.opIds.add(o.opId);
    ofMsg.set(`${o.key}\u0000${o.msg}`, m);
  }
  const out: KafkaFinding[] = [];
  for (const a of atOffset.values()) if (a.msgs.size > 1) out.push({ key: a.key, offset: a.offset, msgs: [...a.msgs].map((m) => JSON.parse(m)), opIds: [...a.opIds] });
  for (const m of ofMsg.values()) if (m.offsets.size > 1) out.push({ key: m.key, msg: JSON.parse(m.msg), offsets: [...m.offsets].sort((x, y) => x - y), opIds: [...m.opIds] });
  return out;
}

function lostSends(sends: readonly HistoryOp[], polls: readonly HistoryOp[]): { lost: KafkaFinding[]; unobserved: number } {
  const polled = new Set<string>();
  const highest = new Map<string, { offset: number; opId: number }>();
  for (const p of polls) {
    for (const [key, pairs] of Object.entries(msgsOf(p))) {
      for (const [offset] of pairs) {
        polled.add(`${key}\u0000${offset}`);
        if (offset > (highest.get(key)?.offset ?? -Infinity)) highest.set(key, { offset, opId: p.id });
      }
    }
  }
  const lost: KafkaFinding[] = [];
  let unobserved = 0;
  for (const s of sends) {
    const key = String(s.detail.key);
    const offset = s.detail.offset as number;
    if (polled.has(`${key}\u0000${offset}`)) continue;
    const top = highest.get(key);
    if (top && top.offset > offset) lost.push({ key, offset, msg: s.detail.msg, polledUpTo: top.offset, opIds: [s.id, top.opId] });
    else unobserved++;
  }
  return { lost, unobserved };
}

function nonmonotonicSends(sends: readonly HistoryOp[]): KafkaFinding[] {
  const last = new Map<string, HistoryOp>();
  const out: KafkaFinding[] = [];
  for (const s of sends) {
    const key = String(s.detail.key);
    const prev = last.get(`${s.client}\u0000${key}`);
    // Only sends that follow one another: an open loop's concurrent sends may come back in any order.
    if (prev && prev.completeUs !== null && prev.completeUs < s.invokeUs && (s.detail.offset as number) <= (prev.detail.offset as number)) {
      out.push({ key, client: s.client, offsets: [prev.detail.offset, s.detail.offset], opIds: [prev.id, s.id] });
    }
    last.set(`${s.client}\u0000${key}`, s);
  }
  return out;
}

/** Per key, the offsets known to exist before `beforeUs` (acknowledged or polled by then), strictly between `from` and `to`. */
function knownOffsets(sends: readonly HistoryOp[], polls: readonly HistoryOp[]): (key: string, beforeUs: number, from: number, to: number) => number[] {
  const known = new Map<string, Array<{ offset: number; atUs: number }>>();
  const add = (key: string, offset: number, atUs: number) => (known.get(key) ?? known.set(key, []).get(key)!).push({ offset, atUs });
  for (const s of sends) add(String(s.detail.key), s.detail.offset as number, s.completeUs!);
  for (const p of polls) for (const [key, pairs] of Object.entries(msgsOf(p))) for (const [offset] of pairs) add(key, offset, p.completeUs!);
  for (const list of known.values()) list.sort((a, b) => a.offset - b.offset);
  return (key, beforeUs, from, to) => {
    const list = known.get(key) ?? [];
    const found = new Set<number>();
    // Binary search for the first offset above `from`: gaps are short, the logs long.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].offset <= from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < list.length && list[i].offset < to; i++) if (list[i].atUs < beforeUs) found.add(list[i].offset);
    return [...found];
  };
}

function pollOrder(sends: readonly HistoryOp[], polls: readonly HistoryOp[]): { nonmonotonicPolls: KafkaFinding[]; skips: KafkaFinding[] } {
  const between = knownOffsets(sends, polls);
  const nonmonotonicPolls: KafkaFinding[] = [];
  const skips: KafkaFinding[] = [];
  for (const p of polls) {
    const asked = (p.detail.offsets ?? {}) as Record<string, number>;
    for (const [key, pairs] of Object.entries(msgsOf(p))) {
      const offsets = pairs.map(([o]) => o);
      if (offsets.length === 0) continue;
      const from = asked[key];
      if (typeof from === 'number' && offsets[0] < from) nonmonotonicPolls.push({ key, asked: from, offsets, opIds: [p.id] });
      for (let i = 1; i < offsets.length; i++) if (offsets[i] <= offsets[i - 1]) nonmonotonicPolls.push({ key, offsets, opIds: [p.id] });
      // Skipped: known offsets between where the poll began (or each pair) and what it returned.
      const gaps: Array<[number, number]> = [[typeof from === 'number' ? from - 1 : offsets[0], offsets[0]], ...offsets.slice(1).map((o, i): [number, number] => [offsets[i], o])];
      const skipped = gaps.flatMap(([a, b]) => between(key, p.invokeUs, a, b));
      if (skipped.length) skips.push({ key, skipped, offsets, opIds: [p.id] });
    }
  }
  return { nonmonotonicPolls, skips };
}

/** A committed offset may only grow: reads of it must not fall below what was committed or read before. */
function committedBackwards(ok: readonly HistoryOp[]): KafkaFinding[] {
  // What each op establishes per key, in the order the ops completed.
  const established = ok
    .filter((op) => op.f === 'commit_offsets' || op.f === 'list_committed_offsets')
    .map((op) => ({ op, offsets: (op.f === 'commit_offsets' ? op.detail.offsets : op.detail.committed) as Record<string, number> | undefined }))
    .sort((a, b) => a.op.completeUs! - b.op.completeUs!);
  const lists = ok.filter((op) => op.f === 'list_committed_offsets').sort((a, b) => a.invokeUs - b.invokeUs);
  const highest = new Map<string, { offset: number; opId: number }>();
  const out: KafkaFinding[] = [];
  let next = 0;
  for (const l of lists) {
    for (; next < established.length && established[next].op.completeUs! < l.invokeUs; next++) {
      for (const [key, offset] of Object.entries(established[next].offsets ?? {})) {
        if (typeof offset === 'number' && offset > (highest.get(key)?.offset ?? -Infinity)) highest.set(key, { offset, opId: established[next].op.id });
      }
    }
    const got = (l.detail.committed ?? {}) as Record<string, number>;
    for (const key of (l.detail.keys ?? []) as string[]) {
      const before = highest.get(key);
      if (before && before.offset > (got[key] ?? -1)) out.push({ key, read: got[key] ?? null, earlier: before.offset, opIds: [before.opId, l.id] });
    }
  }
  return out;
}
