// The switch's side of joins and leaves: a node added at the next address is routed like the
// others (and keeps the partitions and link changes in force out of its way), and membership
// messages arrive whatever the link model and the partitions say.
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { Switch, type Endpoint, type Handover } from '../../core/engine/switch.js';
import { RunClock } from '../../core/engine/run-clock.js';
import { Topology } from '../../core/engine/topology.js';
import { encodeFrame, FrameKind } from '../../core/sdk/wire.js';
import type { MessageFate } from '../../core/store/schema.js';

class Taker implements Endpoint {
  reachable = true;
  readonly received: string[] = [];
  constructor(readonly id: string, readonly address: number) {}
  deliver(m: { srcId?: string; type: string }): Handover {
    this.received.push(`${m.srcId}:${m.type}`);
    return 'done';
  }
}

function lossy(loss: number) {
  return parseExperiment({ name: 't', seed: 7, duration: '1s', nodes: { count: 3, program: 'echo' }, network: { loss } }, { source: 't', programs: programNames() }).network.defaults;
}

function recording() {
  const rows: Array<{ src: string; dest: string; fate: MessageFate }> = [];
  return { rows, message: (_id: number, src: string, dest: string, _t: string, _b: string, _n: number, _s: number, _d: number | null, fate: MessageFate) => rows.push({ src, dest, fate }) };
}

const ping = (src: number, dest: number) => encodeFrame(FrameKind.message, src, dest, 'ping', '{"type":"ping"}');

describe('a topology that grows', () => {
  it('keeps the blocked links of the addresses it had, and the new one reaches everyone', () => {
    const t = new Topology(4);
    t.partition([[1], [2, 3]]);
    t.cutOneWay([2], [3]);
    t.grow();
    expect(t.blockedPairs()).toEqual([[1, 2], [1, 3], [2, 1], [2, 3], [3, 1]]);
    expect([0, 1, 2, 3].some((a) => t.isBlocked(a, 4) || t.isBlocked(4, a))).toBe(false);
    t.partition([[1, 4], [2, 3]]);
    expect(t.isBlocked(4, 2)).toBe(true);
  });
});

describe('the switch and membership', () => {
  it('routes to and from a node added at the next address, through the links it had', () => {
    const sink = recording();
    const endpoints = [new Taker('c0', 0), new Taker('n1', 1), new Taker('n2', 2)];
    const sw = new Switch(endpoints, lossy(0), 1, new RunClock(), sink, () => {});
    sw.topology.partition([[1], [2]]);
    const n3 = new Taker('n3', 3);
    sw.addEndpoint(n3);
    expect(() => sw.addEndpoint(new Taker('n5', 5))).toThrow('n5 joins at address 5, expected 4');
    sw.route(ping(1, 3), 1);
    sw.route(ping(3, 2), 3);
    sw.route(ping(1, 2), 1);
    sw.close();
    expect(n3.received).toEqual(['n1:ping']);
    expect(endpoints[2].received).toEqual(['n3:ping']);
    expect(sink.rows.map((r) => `${r.src}->${r.dest} ${r.fate}`)).toEqual(['n1->n3 delivered', 'n3->n2 delivered', 'n1->n2 partitioned']);
  });

  it('delivers membership messages whatever the loss and the partitions, and records them', () => {
    const sink = recording();
    const endpoints = [new Taker('c0', 0), new Taker('n1', 1), new Taker('n2', 2), new Taker('distlab', 3)];
    const sw = new Switch(endpoints, lossy(1), 1, new RunClock(), sink, () => {});
    sw.topology.partition([[1], [2, 3]]);
    for (let i = 0; i < 20; i++) sw.sendReliable(3, 1, 'membership', '{"type":"membership","members":["n1","n2"]}');
    endpoints[2].reachable = false;
    sw.sendReliable(3, 2, 'membership', '{"type":"membership","members":["n1"],"left":"n2"}');
    sw.route(ping(1, 2), 1);
    sw.close();
    expect(endpoints[1].received).toEqual(new Array(20).fill('distlab:membership'));
    expect(sink.rows.filter((r) => r.src === 'distlab').map((r) => r.fate)).toEqual([...new Array(20).fill('delivered'), 'undeliverable']);
    // Ordinary traffic still meets the partition.
    expect(sink.rows.at(-1)).toEqual({ src: 'n1', dest: 'n2', fate: 'partitioned' });
    expect(sw.counts).toMatchObject({ sent: 22, delivered: 20, undeliverable: 1, partitioned: 1, lost: 0 });
  });
});
