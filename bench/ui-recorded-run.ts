// Recordings of 1,000,000 messages made cheaply, for the "recorded run opens its charts"
// benchmark: the rows a real run would leave, written through the store's own Recorder
// without starting any process. The traffic is that of 12 nodes each pinging its 11 peers
// every 16 ms for about a minute over links of normal(5 ms, 2 ms) latency and 1 % loss,
// every delivered ping answered by a pong. Two shapes of it:
//  - `messages`: the messages alone, as a program without logical clocks sends them
//    (`pingpong`'s bodies; its rtt_us metrics are left out), plus the nodes' process rows and
//    start / up / exit events: what opening a run costs per message.
//  - `ping`: everything the built-in `ping` program records (checked against a short real
//    run): bodies carrying the sender's Lamport and vector clocks, one `recv` event per
//    delivered message with the receiver's clocks, and one rtt_ms.<peer> metric per pong.
// Both end as a completed run row with its summary.
import { openDatabase } from '../core/store/database.js';
import { createRun, finishRun } from '../core/store/runs.js';
import { Recorder } from '../core/store/recorder.js';
import { createRng } from '../core/engine/prng.js';
import { experiment } from './support.js';

export type RecordingShape = 'messages' | 'ping';

export const RECORDING_NAMES: Record<RecordingShape, string> = { messages: 'ui-bench-1m-messages', ping: 'ui-bench-1m-ping' };

const NODES = 12;
const INTERVAL_MS = 16;
const LATENCY_MS = { mean: 5, sd: 2 };
const LOSS = 0.01;
const SEED = 11;
/** A node answers a ping this long after it arrives, µs. */
const TURNAROUND_US = 25;

export interface RecordedRun {
  runId: number;
  name: string;
  messages: number;
  events: number;
  metrics: number;
  nodes: number;
  durationMs: number;
  /** Wall time to write it, ms. */
  writeMs: number;
}

/** A binary min-heap of pending deliveries and timer rounds, ordered by time then by insertion. */
class Agenda<T> {
  private times: number[] = [];
  private seqs: number[] = [];
  private items: T[] = [];
  private seq = 0;
  get size(): number {
    return this.items.length;
  }
  push(t: number, item: T): void {
    let i = this.items.length;
    this.times.push(t);
    this.seqs.push(this.seq++);
    this.items.push(item);
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.before(i, up)) break;
      this.swap(i, up);
      i = up;
    }
  }
  peekTime(): number {
    return this.times[0];
  }
  pop(): T {
    const top = this.items[0];
    const last = this.items.length - 1;
    this.swap(0, last);
    this.times.pop();
    this.seqs.pop();
    this.items.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.items.length && this.before(l, m)) m = l;
      if (r < this.items.length && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
  private before(a: number, b: number): boolean {
    return this.times[a] < this.times[b] || (this.times[a] === this.times[b] && this.seqs[a] < this.seqs[b]);
  }
  private swap(a: number, b: number): void {
    [this.times[a], this.times[b]] = [this.times[b], this.times[a]];
    [this.seqs[a], this.seqs[b]] = [this.seqs[b], this.seqs[a]];
    [this.items[a], this.items[b]] = [this.items[b], this.items[a]];
  }
}

type Step =
  | { kind: 'round'; node: number }
  | { kind: 'recv'; node: number; from: number; type: 'ping' | 'pong'; msgId: number; inReplyTo: number; sentLamport: number; sentVc: Int32Array; pingSentUs: number };

export async function writeRecordedRun(dbPath: string, shape: RecordingShape, messages = 1_000_000): Promise<RecordedRun> {
  const started = performance.now();
  const clocks = shape === 'ping';
  const exp = experiment({
    name: RECORDING_NAMES[shape],
    seed: SEED,
    duration: '62s',
    nodes: clocks ? { count: NODES, program: 'ping', params: { interval: INTERVAL_MS } } : { count: NODES, program: 'pingpong', params: { rate: Math.round(((NODES - 1) * 1000) / INTERVAL_MS), count: 42_000 } },
    network: { latency: { distribution: 'normal', mean: `${LATENCY_MS.mean}ms`, jitter: `${LATENCY_MS.sd}ms` }, loss: LOSS },
  });
  const db = openDatabase(dbPath);
  const startedAtMs = Date.now() - 120_000;
  const runId = createRun(db, { name: exp.name, experiment: exp, seed: exp.seed, startedAtMs, enginePid: process.pid, engineStartTime: null });
  db.close();

  const recorder = await Recorder.start(dbPath, runId);
  const rng = createRng(SEED, 'ui-bench-recording');
  const ids = Array.from({ length: NODES }, (_, i) => `n${i + 1}`);
  const lamport = new Int32Array(NODES);
  const vc = Array.from({ length: NODES }, () => new Int32Array(NODES));
  const nextMsgId = new Int32Array(NODES).fill(1);
  const vcJson = (v: Int32Array): string => {
    let out = '';
    for (let i = 0; i < NODES; i++) if (v[i] > 0) out += `${out ? ',' : ''}"${ids[i]}":${v[i]}`;
    return `{${out}}`;
  };
  const counts = { sent: 0, delivered: 0, lost: 0 };
  let events = 0;
  let metrics = 0;
  let lastUs = 0;

  // Processes come up over the first 200 ms, as the engine starts them.
  const upUs = 195_000;
  for (let n = 0; n < NODES; n++) {
    const startUs = 60_000 + n * 1500;
    recorder.nodeStarted(ids[n], 1, null, null, [exp.nodes.program!], startUs);
    recorder.event(startUs, ids[n], 'start', { pid: null, incarnation: 1 });
    recorder.event(upUs + n * 100, ids[n], 'up', { incarnation: 1 });
  }
  recorder.event(upUs + NODES * 100 + 100, 'c0', 'nodes-up', { nodes: NODES, seed: SEED });
  events += 2 * NODES + 1;

  const agenda = new Agenda<Step>();
  for (let n = 0; n < NODES; n++) agenda.push(upUs + 2000 + (((n + 1) * 7) % INTERVAL_MS) * 1000, { kind: 'round', node: n });

  const send = (tUs: number, from: number, to: number, type: 'ping' | 'pong', inReplyTo: number, pingSentUs: number): void => {
    lamport[from]++;
    vc[from][from]++;
    const msgId = nextMsgId[from]++;
    const clock = clocks ? `,"lamport":${lamport[from]},"vc":${vcJson(vc[from])}` : '';
    const body = clocks
      ? type === 'ping'
        ? `{"type":"ping","msg_id":${msgId}${clock}}`
        : `{"type":"pong","msg_id":${msgId},"in_reply_to":${inReplyTo}${clock}}`
      : type === 'ping'
        ? `{"type":"ping","msg_id":${msgId}}`
        : `{"type":"pong","in_reply_to":${inReplyTo}}`;
    const lost = rng.next() < LOSS;
    const deliverUs = lost ? null : tUs + Math.max(50, Math.round((LATENCY_MS.mean + LATENCY_MS.sd * rng.normal()) * 1000));
    counts.sent++;
    if (lost) counts.lost++;
    else counts.delivered++;
    recorder.message(counts.sent, ids[from], ids[to], type, body, body.length, tUs, deliverUs, lost ? 'lost' : 'delivered', null, false);
    if (deliverUs !== null) agenda.push(deliverUs, { kind: 'recv', node: to, from, type, msgId, inReplyTo, sentLamport: lamport[from], sentVc: vc[from].slice(), pingSentUs });
  };

  while (agenda.size > 0) {
    const tUs = agenda.peekTime();
    const step = agenda.pop();
    lastUs = Math.max(lastUs, tUs);
    if (step.kind === 'round') {
      if (counts.sent >= messages) continue;
      for (let p = 0, k = 0; p < NODES; p++) {
        if (p === step.node || counts.sent >= messages) continue;
        send(tUs + k++ * 3, step.node, p, 'ping', 0, tUs);
      }
      agenda.push(tUs + INTERVAL_MS * 1000, step);
      continue;
    }
    const n = step.node;
    lamport[n] = Math.max(lamport[n], step.sentLamport) + 1;
    const own = vc[n];
    for (let i = 0; i < NODES; i++) if (step.sentVc[i] > own[i]) own[i] = step.sentVc[i];
    own[n]++;
    if (clocks) {
      recorder.event(tUs, ids[n], 'recv', { from: ids[step.from], type: step.type, sentLamport: step.sentLamport }, lamport[n], Object.fromEntries(ids.map((id, i) => [id, own[i]]).filter(([, v]) => (v as number) > 0)));
      events++;
    }
    if (step.type === 'ping') {
      if (counts.sent < messages) send(tUs + TURNAROUND_US, n, step.from, 'pong', step.msgId, step.pingSentUs);
    } else if (clocks) {
      recorder.metric(tUs, ids[n], `rtt_ms.${ids[step.from]}`, (tUs - step.pingSentUs) / 1000);
      metrics++;
    }
  }

  // The engine stops the nodes at the end of the planned duration.
  const endUs = Math.max(exp.durationMs * 1000, lastUs + 1000);
  for (let n = 0; n < NODES; n++) {
    const exitUs = endUs + 5000 + n * 800;
    recorder.nodeExited(ids[n], 1, exitUs, 0, null);
    recorder.event(exitUs, ids[n], 'exit', { code: 0, signal: null, incarnation: 1 });
  }
  recorder.event(endUs + 15_000, 'c0', 'run-end', { status: 'completed' });
  events += NODES + 1;
  await recorder.close();

  const durationMs = endUs / 1000;
  const finishDb = openDatabase(dbPath);
  finishRun(finishDb, runId, {
    status: 'completed',
    endedAtMs: startedAtMs + Math.round(durationMs) + 20,
    durationMs,
    summary: {
      runId,
      name: exp.name,
      seed: exp.seed,
      status: 'completed',
      durationMs,
      nodes: NODES,
      messages: { ...counts, duplicated: 0, corrupted: 0, partitioned: 0, undeliverable: 0, overflow: 0 },
      ops: { total: 0, ok: 0, fail: 0, timeout: 0 },
      latencyMs: null,
      deliveryLatenessUs: null,
      checks: {},
      measurements: { messagesPerNodePerSec: counts.sent / NODES / (durationMs / 1000), messagesPerOperation: null },
      problems: [],
    },
  });
  finishDb.close();
  return { runId, name: exp.name, messages: counts.sent, events, metrics, nodes: NODES, durationMs, writeMs: performance.now() - started };
}
