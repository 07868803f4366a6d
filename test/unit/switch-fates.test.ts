// One fate per message, counts that add up, and deliveries that count only once written.
import { describe, it, expect } from 'vitest';
import { Writable } from 'node:stream';
import { parseExperiment } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { Switch, type Endpoint, type Handover } from '../../core/engine/switch.js';
import { RunClock } from '../../core/engine/run-clock.js';
import { Outbox, type Settle } from '../../core/engine/outbox.js';
import type { InFlight } from '../../core/engine/delivery-queue.js';
import { fatesTotal } from '../../core/engine/message-counts.js';
import { encodeFrame, FrameKind } from '../../core/sdk/wire.js';
import type { MessageFate } from '../../core/store/schema.js';

interface Row {
  id: number;
  dest: string;
  fate: MessageFate;
  dupOf: number | null;
  corrupted: boolean;
  tDeliverUs: number | null;
}

function rowsSink() {
  const rows: Row[] = [];
  return {
    rows,
    message(id: number, _src: string, dest: string, _type: string, _body: string, _bytes: number, _tSendUs: number, tDeliverUs: number | null, fate: MessageFate, dupOf: number | null, corrupted: boolean) {
      rows.push({ id, dest, fate, dupOf, corrupted, tDeliverUs });
    },
  };
}

/** An endpoint that takes every message at once. */
class Taker implements Endpoint {
  reachable = true;
  received = 0;
  constructor(readonly id: string, readonly address: number) {}
  deliver(): Handover {
    this.received++;
    return 'done';
  }
}

/** An endpoint that writes through an Outbox into a stream that can stop reading. */
class Writer implements Endpoint {
  reachable = true;
  readonly outbox: Outbox;
  constructor(readonly id: string, readonly address: number, readonly stream: Writable, limitBytes: number) {
    this.outbox = new Outbox(stream, limitBytes, (m) => m.frame);
  }
  deliver(m: InFlight, settle: Settle): Handover {
    return this.outbox.push(m, settle) ? 'pending' : 'full';
  }
  endTraffic(): void {
    this.outbox.settleAll('in-flight-at-end');
  }
}

/** A stream that accepts writes but never completes them: a node that stopped reading. */
function deafStream(): Writable {
  return new Writable({ highWaterMark: 1024, write() {} });
}

function network(network: Record<string, unknown>) {
  return parseExperiment({ name: 't', seed: 7, duration: '1s', nodes: { count: 3, program: 'echo' }, network }, { source: 't', programs: programNames() }).network.defaults;
}

const frame = (src: number, dest: number, i: number) => encodeFrame(FrameKind.message, src, dest, 'ping', JSON.stringify({ type: 'ping', msg_id: i, pad: 'x'.repeat(40) }));
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('the switch records one fate per message', () => {
  it('adds up under loss, duplication, corruption, reordering and a partition', async () => {
    const sink = rowsSink();
    const endpoints = [new Taker('c0', 0), new Taker('n1', 1), new Taker('n2', 2), new Taker('n3', 3)];
    const sw = new Switch(endpoints, network({ loss: 0.1, duplicate: 0.2, corrupt: 0.1, reorder: 0.1, latency: { distribution: 'uniform', mean: '1ms', jitter: '1ms' } }), 7, new RunClock(), sink, () => {});
    for (let i = 0; i < 3000; i++) {
      if (i === 1000) sw.topology.partition([[1], [2, 3]]);
      if (i === 2000) sw.topology.heal();
      if (i === 2500) endpoints[3].reachable = false;
      const src = 1 + (i % 3);
      sw.route(frame(src, 1 + ((i + 1) % 3), i), src);
      if (i % 200 === 0) await tick();
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    sw.close();

    const c = sw.counts;
    const rows = sink.rows;
    expect(c.sent).toBe(3000);
    expect(rows).toHaveLength(c.sent + c.duplicated);
    expect(fatesTotal(c)).toBe(c.sent + c.duplicated);
    expect(rows.filter((r) => r.dupOf !== null)).toHaveLength(c.duplicated);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const byFate = (fate: MessageFate) => rows.filter((r) => r.fate === fate).length;
    expect(byFate('delivered')).toBe(c.delivered);
    expect(byFate('corrupted')).toBe(c.corrupted);
    expect(byFate('lost')).toBe(c.lost);
    expect(byFate('partitioned')).toBe(c.partitioned);
    expect(byFate('undeliverable')).toBe(c.undeliverable);
    // A corrupted delivery is counted once, as corrupted, never also as delivered.
    expect(rows.filter((r) => r.fate === 'delivered').every((r) => !r.corrupted)).toBe(true);
    expect(rows.filter((r) => r.fate === 'corrupted').every((r) => r.corrupted && r.tDeliverUs !== null)).toBe(true);
    for (const fate of ['lost', 'partitioned', 'duplicated', 'corrupted', 'undeliverable'] as const) expect(c[fate]).toBeGreaterThan(10);
    // Every delivered copy reached its endpoint exactly once.
    expect(endpoints.reduce((n, e) => n + e.received, 0)).toBe(c.delivered + c.corrupted);
  });

  it('says in-flight-at-end for what is still queued when traffic ends, and for what arrives after', () => {
    const sink = rowsSink();
    const sw = new Switch([new Taker('c0', 0), new Taker('n1', 1), new Taker('n2', 2)], network({ latency: '200ms' }), 1, new RunClock(), sink, () => {});
    for (let i = 0; i < 10; i++) sw.route(frame(1, 2, i), 1);
    sw.endTraffic();
    sw.route(frame(2, 1, 99), 2);
    sw.close();
    expect(sink.rows.map((r) => r.fate)).toEqual(new Array(11).fill('in-flight-at-end'));
    expect(sw.counts).toMatchObject({ sent: 11, inFlightAtEnd: 11, undeliverable: 0, delivered: 0 });
  });
});

describe('a node that stops reading', () => {
  it('gets nothing counted as delivered, and overflows past its byte limit', async () => {
    const sink = rowsSink();
    const deaf = new Writer('n2', 2, deafStream(), 10_000);
    const sw = new Switch([new Taker('c0', 0), new Taker('n1', 1), deaf], network({}), 1, new RunClock(), sink, () => {});
    for (let i = 0; i < 500; i++) {
      sw.route(frame(1, 2, i), 1);
      if (i % 50 === 0) await tick();
    }
    await tick();
    expect(sink.rows.filter((r) => r.fate === 'delivered')).toHaveLength(0);
    const overflowed = sink.rows.filter((r) => r.fate === 'overflow').length;
    expect(overflowed).toBeGreaterThan(300);
    expect(deaf.outbox.backlog.bytes).toBeLessThanOrEqual(10_000 + 200);
    sw.close();
    expect(sw.counts.inFlightAtEnd).toBe(500 - overflowed);
    expect(sink.rows).toHaveLength(500);
  });

  it('counts a message delivered when its write completed, with that time', async () => {
    const sink = rowsSink();
    let release: (() => void) | null = null;
    const slow = new Writable({
      write(_chunk, _enc, callback) {
        release = callback;
      },
      writev(_chunks, callback) {
        release = callback;
      },
    });
    const node = new Writer('n2', 2, slow, 1 << 20);
    const clock = new RunClock();
    const sw = new Switch([new Taker('c0', 0), new Taker('n1', 1), node], network({}), 1, clock, sink, () => {});
    sw.route(frame(1, 2, 1), 1);
    sw.route(frame(1, 2, 2), 1);
    await tick();
    expect(sink.rows).toHaveLength(0);
    expect(node.outbox.backlog.messages).toBe(2);
    const releasedAt = clock.nowUs();
    release!();
    await tick();
    expect(sink.rows.map((r) => r.fate)).toEqual(['delivered', 'delivered']);
    expect(sink.rows[0].tDeliverUs).toBeGreaterThanOrEqual(releasedAt);
    expect(node.outbox.backlog.messages).toBe(0);
    sw.close();
  });

  it('settles a queued message once even if its write completes after the end', async () => {
    const settled: string[] = [];
    let release: ((error?: Error) => void) | null = null;
    const stream = new Writable({
      write(_chunk, _enc, callback) {
        release = callback;
      },
    });
    const outbox = new Outbox(stream, 1 << 20, (m) => m.frame);
    const message = { id: 1, frame: frame(1, 2, 1) } as InFlight;
    outbox.push(message, (_m, outcome) => settled.push(outcome));
    await tick();
    outbox.settleAll('in-flight-at-end');
    release!();
    await tick();
    expect(settled).toEqual(['in-flight-at-end']);
  });
});
