// Exports one recorded run as Chrome trace-event JSON (run.trace.json), which Perfetto and
// chrome://tracing open. Each node is a process with two tracks: its process states as
// slices with its own events as instants, and its messages, one short slice per send and
// per receive joined by a flow arrow. The network's faults are instants on a track of their
// own, and metrics are counters.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { getRun } from '../store/queries.js';
import { stateIntervals } from '../analysis/state-at.js';
import { parseRecordedJson } from '../analysis/load-recorded.js';
import { prepareFolder, writeChunks, type CsvExportOptions, type CsvExportResult } from './csv.js';

export const TRACE_FILE = 'run.trace.json';

const STATE_TRACK = 1;
const MESSAGE_TRACK = 2;
const NETWORK_PID = 0;
const PAGE_ROWS = 5000;

type TraceEvent = Record<string, unknown>;

export async function exportRunPerfetto(db: Database.Database, runId: number, outDir: string, options: CsvExportOptions = {}): Promise<CsvExportResult> {
  const run = getRun(db, runId); // a clear error for an unknown run before any file is created
  prepareFolder(outDir, options.overwrite === true, [TRACE_FILE]);
  const path = join(outDir, TRACE_FILE);
  const endUs = Math.round((run.durationMs ?? 0) * 1000);
  const pids = processIds(db, runId);
  let written = 0;

  async function* chunks(): AsyncGenerator<string> {
    yield `{"displayTimeUnit":"ms","otherData":${JSON.stringify({ run: run.id, name: run.name })},"traceEvents":[\n`;
    let first = true;
    const emit = (events: TraceEvent[]) => {
      const text = events.map((e) => JSON.stringify(e)).join(',\n');
      const out = events.length ? (first ? '' : ',\n') + text : '';
      if (events.length) first = false;
      written += events.length;
      options.onProgress?.(path, written);
      return out;
    };
    yield emit(metadata(pids));
    yield emit(stateSlices(db, runId, endUs, pids));
    for (const page of rowsOf(db, runId, 'SELECT rowid AS id, t_us, node, kind, detail_json FROM events WHERE run_id = ? AND kind <> \'recv\' AND rowid > ? ORDER BY rowid')) yield emit(page.flatMap((e) => nodeEvent(e, pids)));
    for (const page of rowsOf(db, runId, 'SELECT rowid AS id, t_us, kind, detail_json FROM faults WHERE run_id = ? AND rowid > ? ORDER BY rowid')) yield emit(page.map(faultInstant));
    for (const page of rowsOf(db, runId, 'SELECT rowid AS id, t_us, node, name, value FROM metrics WHERE run_id = ? AND rowid > ? ORDER BY rowid')) yield emit(page.map((m) => counter(m, pids)));
    for (const page of rowsOf(db, runId, 'SELECT id, src, dest, type, t_send_us, t_deliver_us, fate FROM messages WHERE run_id = ? AND id > ? ORDER BY id')) yield emit(page.flatMap((m) => messageEvents(m, pids)));
    yield '\n]}\n';
  }
  await writeChunks(path, chunks());
  return { files: [path], rows: { [path]: written } };
}

/** Nodes n1…nN first, in order, then every other endpoint (clients, the engine) that appears. */
function processIds(db: Database.Database, runId: number): Map<string, number> {
  const names = db
    .prepare('SELECT node FROM events WHERE run_id = ? UNION SELECT src FROM messages WHERE run_id = ? UNION SELECT dest FROM messages WHERE run_id = ? UNION SELECT node FROM metrics WHERE run_id = ?')
    .pluck()
    .all(runId, runId, runId, runId) as string[];
  const rank = (id: string) => (/^n\d+$/.test(id) ? Number(id.slice(1)) : Infinity);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return new Map(names.map((name, i) => [name, i + 1]));
}

function metadata(pids: Map<string, number>): TraceEvent[] {
  const events: TraceEvent[] = [
    { ph: 'M', name: 'process_name', pid: NETWORK_PID, args: { name: 'network' } },
    { ph: 'M', name: 'process_sort_index', pid: NETWORK_PID, args: { sort_index: 0 } },
    { ph: 'M', name: 'thread_name', pid: NETWORK_PID, tid: 1, args: { name: 'faults' } },
  ];
  for (const [name, pid] of pids) {
    events.push(
      { ph: 'M', name: 'process_name', pid, args: { name } },
      { ph: 'M', name: 'process_sort_index', pid, args: { sort_index: pid } },
      { ph: 'M', name: 'thread_name', pid, tid: STATE_TRACK, args: { name: 'state and events' } },
      { ph: 'M', name: 'thread_name', pid, tid: MESSAGE_TRACK, args: { name: 'messages' } },
    );
  }
  return events;
}

function stateSlices(db: Database.Database, runId: number, endUs: number, pids: Map<string, number>): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (const [node, intervals] of Object.entries(stateIntervals(db, runId, endUs))) {
    const pid = pids.get(node);
    if (pid === undefined) continue;
    for (const i of intervals) {
      if (i.state === 'not-started' || i.toUs <= i.fromUs) continue;
      events.push({ ph: 'X', cat: 'state', name: i.state, pid, tid: STATE_TRACK, ts: i.fromUs, dur: i.toUs - i.fromUs });
    }
  }
  return events;
}

function nodeEvent(e: Record<string, unknown>, pids: Map<string, number>): TraceEvent[] {
  const pid = pids.get(String(e.node));
  if (pid === undefined) return [];
  return [{ ph: 'i', s: 't', cat: 'event', name: String(e.kind), pid, tid: STATE_TRACK, ts: e.t_us, args: parseRecordedJson(e.detail_json as string | null) ?? {} }];
}

function faultInstant(f: Record<string, unknown>): TraceEvent {
  const detail = (parseRecordedJson(f.detail_json as string | null) ?? {}) as Record<string, unknown>;
  const nodes = Array.isArray(detail.nodes) ? ` ${detail.nodes.join(' ')}` : '';
  return { ph: 'i', s: 'g', cat: 'fault', name: `${f.kind}${nodes}`, pid: NETWORK_PID, tid: 1, ts: f.t_us, args: detail };
}

function counter(m: Record<string, unknown>, pids: Map<string, number>): TraceEvent {
  return { ph: 'C', cat: 'metric', name: String(m.name), pid: pids.get(String(m.node)) ?? NETWORK_PID, ts: m.t_us, args: { value: m.value } };
}

/**
 * A send slice on the sender's message track; when the message arrived, a receive slice on
 * the receiver's and a flow from one to the other. Flow ends bind to the slice at their
 * timestamp on their track (same category, process, thread and time).
 */
function messageEvents(m: Record<string, unknown>, pids: Map<string, number>): TraceEvent[] {
  const src = pids.get(String(m.src));
  const dest = pids.get(String(m.dest));
  const id = m.id as number;
  const arrived = m.t_deliver_us !== null && dest !== undefined;
  const name = arrived ? String(m.type) : `${m.type} (${m.fate})`;
  const args = { id, from: m.src, to: m.dest, fate: m.fate };
  const events: TraceEvent[] = [];
  if (src !== undefined) events.push({ ph: 'X', cat: 'message', name, pid: src, tid: MESSAGE_TRACK, ts: m.t_send_us, dur: 1, args });
  if (!arrived || src === undefined) return events;
  events.push(
    { ph: 's', cat: 'message', name: 'message', id, pid: src, tid: MESSAGE_TRACK, ts: m.t_send_us },
    { ph: 'X', cat: 'message', name, pid: dest, tid: MESSAGE_TRACK, ts: m.t_deliver_us, dur: 1, args },
    { ph: 'f', bp: 'e', cat: 'message', name: 'message', id, pid: dest, tid: MESSAGE_TRACK, ts: m.t_deliver_us },
  );
  return events;
}

/** Rows a page at a time by a growing key, so a large run never sits in memory. */
function* rowsOf(db: Database.Database, runId: number, sql: string): Generator<Array<Record<string, unknown>>> {
  const statement = db.prepare(`${sql} LIMIT ${PAGE_ROWS}`);
  let after = -Infinity;
  for (;;) {
    const rows = statement.all(runId, after) as Array<Record<string, unknown>>;
    if (rows.length === 0) return;
    after = rows[rows.length - 1].id as number;
    yield rows;
    if (rows.length < PAGE_ROWS) return;
  }
}
