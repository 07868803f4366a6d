// Seeking in a long recording: a node's logical clocks and the messages in flight at one
// instant, found through the (run_id, t_us) and (run_id, id) indexes instead of scans of the
// whole run, so that a replay cursor on a million-message run answers in milliseconds.
//
// Two facts of a run are read once, on the first seek that needs them, and kept while the run
// cannot change (it has ended): for each node the time of every CLOCK_STRIDE-th clocked event
// (keyframes: a seek walks back at most that many of the node's events), and the longest time
// a message spent in flight (messages in flight at t were all sent after t minus it).
import type Database from 'better-sqlite3';
import { firstIdSentAtOrAfter } from '../api/recorded-data.js';

const CLOCK_STRIDE = 256;
/** A node's clock is looked for this far back before the keyframes are needed. */
const RECENT_US = 2_000_000;
/** Slack around the id range of a time window, should the switch have numbered two sends a moment out of order. */
const MARGIN_US = 10_000;

interface RunFacts {
  /** node → times (µs, ascending) of its first clocked event and every CLOCK_STRIDE-th after. */
  clockKeyframes?: Map<string, number[]>;
  /** The longest t_deliver - t_send of the run, µs; send times of rows still in flight at the end. */
  flight?: { maxDelayUs: number; atEndSendUs: number[] };
}

const cache = new WeakMap<Database.Database, Map<number, RunFacts>>();

function factsOf(db: Database.Database, runId: number): RunFacts {
  const ended = (db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId) as string | undefined) !== 'running';
  if (!ended) return {};
  let runs = cache.get(db);
  if (!runs) cache.set(db, (runs = new Map()));
  let facts = runs.get(runId);
  if (!facts) runs.set(runId, (facts = {}));
  return facts;
}

export interface NodeClock {
  lamport: number;
  vc_json: string | null;
}

/** The node's Lamport and vector clocks at its last clocked event at or before tUs. */
export function clockAt(db: Database.Database, runId: number, node: string, tUs: number): NodeClock | undefined {
  const latest = db.prepare(
    'SELECT lamport, vc_json FROM events WHERE run_id = ? AND t_us >= ? AND t_us <= ? AND node = ? AND lamport IS NOT NULL ORDER BY t_us DESC, rowid DESC LIMIT 1',
  );
  // A live node has clocked events moments ago: a short walk back finds them.
  const recent = latest.get(runId, tUs - RECENT_US, tUs, node) as NodeClock | undefined;
  if (recent) return recent;
  const frames = clockKeyframes(db, runId).get(node);
  if (!frames || frames[0] > tUs) return undefined;
  let lo = 0;
  let hi = frames.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (frames[mid] <= tUs) lo = mid;
    else hi = mid - 1;
  }
  return latest.get(runId, frames[lo], tUs, node) as NodeClock | undefined;
}

function clockKeyframes(db: Database.Database, runId: number): Map<string, number[]> {
  const facts = factsOf(db, runId);
  if (facts.clockKeyframes) return facts.clockKeyframes;
  const frames = new Map<string, number[]>();
  const seen = new Map<string, number>();
  const rows = db.prepare('SELECT node, t_us FROM events WHERE run_id = ? AND lamport IS NOT NULL ORDER BY t_us').raw().iterate(runId) as IterableIterator<[string, number]>;
  for (const [node, t] of rows) {
    const n = seen.get(node) ?? 0;
    seen.set(node, n + 1);
    if (n % CLOCK_STRIDE !== 0) continue;
    let list = frames.get(node);
    if (!list) frames.set(node, (list = []));
    list.push(t);
  }
  facts.clockKeyframes = frames;
  return frames;
}

/** Messages sent at or before tUs and not delivered by then (or still queued when the run ended). */
export function inFlightAt(db: Database.Database, runId: number, tUs: number): number {
  const { maxDelayUs, atEndSendUs } = flightFacts(db, runId);
  let atEnd = 0;
  while (atEnd < atEndSendUs.length && atEndSendUs[atEnd] <= tUs) atEnd++;
  // Only messages sent after tUs - maxDelayUs can still be in flight at tUs; ids follow send times.
  const first = firstIdSentAtOrAfter(db, runId, Math.max(0, tUs - maxDelayUs - MARGIN_US));
  if (first === null) return atEnd;
  const end = firstIdSentAtOrAfter(db, runId, tUs + MARGIN_US);
  const delivering = db
    .prepare(`SELECT COUNT(*) FROM messages WHERE run_id = ? AND id >= ? AND id < ? AND t_send_us <= ? AND t_deliver_us > ? AND fate <> 'in-flight-at-end'`)
    .pluck()
    .get(runId, first, end ?? Number.MAX_SAFE_INTEGER, tUs, tUs) as number;
  return delivering + atEnd;
}

function flightFacts(db: Database.Database, runId: number): NonNullable<RunFacts['flight']> {
  const facts = factsOf(db, runId);
  if (facts.flight) return facts.flight;
  const row = db
    .prepare(
      `SELECT MAX(t_deliver_us - t_send_us), group_concat(CASE WHEN fate = 'in-flight-at-end' THEN t_send_us END)
       FROM messages WHERE run_id = ?`,
    )
    .raw()
    .get(runId) as [number | null, string | null];
  const atEndSendUs = row[1] ? row[1].split(',').map(Number).sort((a, b) => a - b) : [];
  facts.flight = { maxDelayUs: Math.max(0, row[0] ?? 0), atEndSendUs };
  return facts.flight;
}
