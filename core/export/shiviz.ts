// Exports one recorded run as a ShiViz log (run.shiviz.log). Each event is two lines: the
// host and its vector clock as JSON, then what happened, which ShiViz parses with
//   (?<host>\S*) (?<clock>{.*})\n(?<event>.*)
// The clocks are computed here from the record, not taken from the nodes' telemetry, so
// every run exports a valid log: each send, receive and recorded node event ticks its
// host's own entry by one, and a receive first merges the clock of its send.
//
// The file's first line is that regular expression and its second line (the delimiter of
// several executions) is empty: ShiViz reads both from a file chosen with "Select a file".
// Neither line matches the expression, so pasting the whole file works as well.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { getRun } from '../store/queries.js';
import type { Experiment } from '../experiment/types.js';
import { prepareFolder, writeChunks, type CsvExportOptions, type CsvExportResult } from './csv.js';
import { recordedNodeIds } from '../analysis/run-nodes.js';
import { MinHeap } from '../engine/min-heap.js';

export const SHIVIZ_FILE = 'run.shiviz.log';
export const SHIVIZ_REGEX = String.raw`(?<host>\S*) (?<clock>{.*})\n(?<event>.*)`;

const PAGE_ROWS = 5000;
/** Node events that repeat what the messages already show, or that are telemetry. */
const SKIPPED_EVENT_KINDS = ['recv', 'state', 'heartbeat'];
/** Send clocks kept for the network's extra copies, which follow their original closely. */
const RECENT_SENDS = 4096;

interface MessageRow {
  id: number;
  src: string;
  dest: string;
  type: string;
  t_send_us: number;
  t_deliver_us: number | null;
  fate: string;
  dup_of: number | null;
}

interface EventRow {
  t_us: number;
  node: string;
  kind: string;
  detail_json: string | null;
  rowid: number;
}

interface PendingReceive {
  tUs: number;
  message: MessageRow;
  /** The sender's clock at the send. */
  clock: Int32Array;
}

export async function exportRunShiviz(db: Database.Database, runId: number, outDir: string, options: CsvExportOptions = {}): Promise<CsvExportResult> {
  const run = getRun(db, runId); // a clear error for an unknown run before any file is created
  prepareFolder(outDir, options.overwrite === true, [SHIVIZ_FILE]);
  const path = join(outDir, SHIVIZ_FILE);
  const experiment = run.experiment as Experiment | null;
  const hosts = hostsOf(db, runId, recordedNodeIds(db, runId, experiment?.nodes?.count ?? 0));
  const clocks = new VectorClocks(hosts);
  let written = 0;

  async function* chunks(): AsyncGenerator<string> {
    yield `${SHIVIZ_REGEX}\n\n`;
    const pending = new MinHeap<PendingReceive>((a, b) => a.tUs < b.tUs || (a.tUs === b.tUs && a.message.id < b.message.id));
    const recentSends = new Map<number, Int32Array>();
    const events = nodeEvents(db, runId, hosts);
    let event = events.next();
    let out = '';
    const line = (host: string, text: string) => {
      out += `${host} ${clocks.json(host)}\n${oneLine(text)}\n`;
      written++;
    };
    const receive = (p: PendingReceive) => {
      const m = p.message;
      clocks.receive(m.dest, p.clock);
      const copy = m.dup_of !== null ? `, a copy the network made of message ${m.dup_of}` : '';
      line(m.dest, `${seconds(p.tUs)} receive ${m.type} from ${m.src} (message ${m.id}${copy}${m.fate === 'corrupted' ? ', corrupted' : ''})`);
    };
    /** Everything due before tUs: receives and node events, in time order. */
    const catchUp = (tUs: number) => {
      for (;;) {
        const next = pending.peek();
        const eventDue = !event.done && event.value.t_us <= tUs;
        if (next && next.tUs <= tUs && (!eventDue || next.tUs <= event.value.t_us)) receive(pending.pop()!);
        else if (eventDue) {
          const e = event.value as EventRow;
          clocks.tick(e.node);
          line(e.node, `${seconds(e.t_us)} ${e.kind}${describeDetail(e.detail_json)}`);
          event = events.next();
        } else return;
      }
    };

    for (const page of messagePages(db, runId)) {
      for (const m of page) {
        catchUp(m.t_send_us);
        let sendClock: Int32Array | undefined;
        const original = m.dup_of !== null ? recentSends.get(m.dup_of) : undefined;
        if (original) sendClock = original; // a copy: received, never sent by the node
        else if (clocks.has(m.src)) {
          clocks.tick(m.src);
          sendClock = clocks.copy(m.src);
          const fate = m.t_deliver_us === null ? `, ${m.fate}` : '';
          line(m.src, `${seconds(m.t_send_us)} send ${m.type} to ${m.dest} (message ${m.id}${fate})`);
          recentSends.set(m.id, sendClock);
          if (recentSends.size > RECENT_SENDS) recentSends.delete(recentSends.keys().next().value!);
        }
        if (sendClock && m.t_deliver_us !== null && clocks.has(m.dest)) pending.push({ tUs: m.t_deliver_us, message: m, clock: sendClock });
      }
      options.onProgress?.(path, written);
      yield out;
      out = '';
    }
    catchUp(Infinity);
    options.onProgress?.(path, written);
    yield out;
  }
  await writeChunks(path, chunks());
  return { files: [path], rows: { [path]: written } };
}

/**
 * The hosts of the log: every endpoint that sent or received a message, and the run's
 * nodes (which may have only node events). The engine's own endpoint is left out.
 */
function hostsOf(db: Database.Database, runId: number, nodes: string[]): string[] {
  const endpoints = db
    .prepare('SELECT src FROM messages WHERE run_id = ? UNION SELECT dest FROM messages WHERE run_id = ? AND t_deliver_us IS NOT NULL')
    .pluck()
    .all(runId, runId) as string[];
  const names = [...new Set([...nodes, ...endpoints])].filter((name) => /^\S+$/.test(name));
  const rank = (id: string) => (/^n\d+$/.test(id) ? Number(id.slice(1)) : Infinity);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Messages in id order (the order the switch took them in), a page at a time. */
function* messagePages(db: Database.Database, runId: number): Generator<MessageRow[]> {
  const statement = db.prepare(`SELECT id, src, dest, type, t_send_us, t_deliver_us, fate, dup_of FROM messages WHERE run_id = ? AND id > ? ORDER BY id LIMIT ${PAGE_ROWS}`);
  let after = -Infinity;
  for (;;) {
    const rows = statement.all(runId, after) as MessageRow[];
    if (rows.length === 0) return;
    after = rows[rows.length - 1].id;
    yield rows;
    if (rows.length < PAGE_ROWS) return;
  }
}

/** The hosts' node events in time order, read a page at a time. */
function* nodeEvents(db: Database.Database, runId: number, hosts: string[]): Generator<EventRow> {
  const known = new Set(hosts);
  const skipped = SKIPPED_EVENT_KINDS.map(() => '?').join(', ');
  const statement = db.prepare(
    `SELECT t_us, node, kind, detail_json, rowid FROM events
     WHERE run_id = ? AND kind <> 'recv' AND kind NOT IN (${skipped}) AND (t_us, rowid) > (?, ?)
     ORDER BY t_us, rowid LIMIT ${PAGE_ROWS}`,
  );
  let after: [number, number] = [-Infinity, -Infinity];
  for (;;) {
    const rows = statement.all(runId, ...SKIPPED_EVENT_KINDS, after[0], after[1]) as EventRow[];
    if (rows.length === 0) return;
    const last = rows[rows.length - 1];
    after = [last.t_us, last.rowid];
    for (const row of rows) if (known.has(row.node)) yield row;
    if (rows.length < PAGE_ROWS) return;
  }
}

/** One vector clock per host, and each as ShiViz's JSON (entries of 0 left out). */
class VectorClocks {
  private readonly index = new Map<string, number>();
  private readonly clocks: Int32Array[];
  private readonly keys: string[];

  constructor(private readonly hosts: string[]) {
    hosts.forEach((host, i) => this.index.set(host, i));
    this.clocks = hosts.map(() => new Int32Array(hosts.length));
    this.keys = hosts.map((host) => JSON.stringify(host));
  }

  has(host: string): boolean {
    return this.index.has(host);
  }

  tick(host: string): void {
    const i = this.index.get(host)!;
    this.clocks[i][i]++;
  }

  /** A receive: merge the send's clock, then tick. */
  receive(host: string, sent: Int32Array): void {
    const clock = this.clocks[this.index.get(host)!];
    for (let k = 0; k < clock.length; k++) if (sent[k] > clock[k]) clock[k] = sent[k];
    this.tick(host);
  }

  copy(host: string): Int32Array {
    return this.clocks[this.index.get(host)!].slice();
  }

  json(host: string): string {
    const clock = this.clocks[this.index.get(host)!];
    const parts: string[] = [];
    for (let k = 0; k < clock.length; k++) if (clock[k] > 0) parts.push(`${this.keys[k]}:${clock[k]}`);
    return `{${parts.join(',')}}`;
  }
}

function seconds(tUs: number): string {
  return `${(tUs / 1e6).toFixed(3)} s`;
}

/** A node event's detail, short. */
function describeDetail(json: string | null): string {
  if (json === null || json === '' || json === 'null' || json === '{}') return '';
  return ` ${json.length > 200 ? `${json.slice(0, 199)}…` : json}`;
}

/** ShiViz's `.` stops at any line break, \u2028 and \u2029 included: the event stays on its line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
