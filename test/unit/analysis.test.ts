import { describe, it, expect } from 'vitest';
import { measureDetection } from '../../core/analysis/failure-detection.js';
import { measureElections } from '../../core/analysis/elections.js';
import { measureReplicationLag } from '../../core/analysis/replication-lag.js';
import type { RecordedEvent, RecordedFault, RecordedMetric } from '../../core/analysis/recorded.js';

const ms = (x: number) => x * 1000;
const ev = (tMs: number, node: string, kind: string, data: unknown = null): RecordedEvent => ({ tUs: ms(tMs), node, kind, data });

describe('failure detection measurements', () => {
  const nodes = ['n1', 'n2', 'n3'];
  const faults: RecordedFault[] = [
    { tUs: ms(1000), kind: 'kill', detail: { nodes: ['n3'] } },
    { tUs: ms(2000), kind: 'restart', detail: { nodes: ['n3'] } },
  ];

  it('measures the first and last detector after a kill, until the node is back', () => {
    const events = [
      ev(300, 'n1', 'heartbeat', { peer: 'n2' }),
      ev(1250, 'n1', 'suspect', { peer: 'n3' }),
      ev(1400, 'n2', 'suspect', { peer: 'n3' }),
      ev(1900, 'n1', 'dead', { peer: 'n3' }),
      ev(2100, 'n3', 'up'),
      ev(2200, 'n1', 'alive', { peer: 'n3' }),
    ];
    const m = measureDetection(faults, events, nodes, ms(3000));
    expect(m.detections).toEqual([{ node: 'n3', cause: 'kill', atMs: 1000, firstMs: 250, lastMs: 400, detectors: 2, of: 2 }]);
    expect(m.mistakes.count).toBe(0);
  });

  it('counts a suspicion of a live node as a mistake lasting until it is seen alive', () => {
    const events = [ev(500, 'n1', 'suspect', { peer: 'n2' }), ev(650, 'n1', 'alive', { peer: 'n2' }), ev(2500, 'n2', 'suspect', { peer: 'n1' })];
    const m = measureDetection([], events, nodes, ms(3000));
    expect(m.mistakes.count).toBe(2);
    expect(m.mistakes.durationMs).toEqual({ p50: 150, p99: 500, max: 500 });
    expect(m.detections).toEqual([]);
  });

  it('leaves the last detector open when not every live node suspected', () => {
    const m = measureDetection(faults, [ev(1250, 'n1', 'suspect', { peer: 'n3' })], nodes, ms(3000));
    expect(m.detections[0]).toMatchObject({ firstMs: 250, lastMs: null, detectors: 1, of: 2 });
  });

  it('reports a kill nobody noticed as undetected', () => {
    const m = measureDetection(faults, [ev(1, 'n1', 'up')], nodes, ms(3000));
    expect(m.detections[0]).toMatchObject({ firstMs: null, lastMs: null, detectors: 0, of: 2 });
    expect(m.detectionMs.first).toBeNull();
  });
});

describe('election measurements', () => {
  it('counts elections and split votes, and times the re-election after the leader is killed', () => {
    const events = [
      ev(100, 'n1', 'election', { term: 1 }),
      ev(120, 'n1', 'role', { role: 'leader', term: 1 }),
      ev(1300, 'n2', 'election', { term: 2 }),
      ev(1300, 'n3', 'election', { term: 2 }),
      ev(1600, 'n3', 'election', { term: 3 }),
      ev(1650, 'n3', 'role', { role: 'leader', term: 3 }),
    ];
    const faults: RecordedFault[] = [{ tUs: ms(1000), kind: 'kill', detail: { nodes: ['n1'] } }];
    const m = measureElections(faults, events)!;
    expect(m).toMatchObject({ elections: 3, splitVotes: 1, leaders: 2 });
    expect(m.reelections).toEqual([{ fault: 'kill', atMs: 1000, oldLeader: 'n1', newLeader: 'n3', ms: 650 }]);
  });

  it('treats a partition that leaves the leader in a minority as a cut-off', () => {
    const events = [ev(100, 'n1', 'role', { role: 'leader', term: 1 }), ev(900, 'n2', 'role', { role: 'leader', term: 2 })];
    const faults: RecordedFault[] = [
      { tUs: ms(500), kind: 'partition', detail: { groups: [['n1'], ['n2', 'n3']] } },
    ];
    expect(measureElections(faults, events)!.reelections[0]).toMatchObject({ oldLeader: 'n1', newLeader: 'n2', ms: 400 });
    const majority: RecordedFault[] = [{ tUs: ms(500), kind: 'partition', detail: { groups: [['n1', 'n2'], ['n3']] } }];
    expect(measureElections(majority, events)!.reelections).toEqual([]);
  });
});

describe('replication lag', () => {
  it('measures entries and time behind the leader for each follower', () => {
    const metrics: RecordedMetric[] = [
      { tUs: ms(0), node: 'n1', name: 'last_index', value: 1 },
      { tUs: ms(0), node: 'n2', name: 'applied_index', value: 1 },
      { tUs: ms(150), node: 'n1', name: 'last_index', value: 3 },
      { tUs: ms(420), node: 'n2', name: 'applied_index', value: 3 },
      { tUs: ms(0), node: 'n1', name: 'applied_index', value: 1 },
    ];
    const lag = measureReplicationLag(metrics, ms(500))!;
    expect(Object.keys(lag.followers)).toEqual(['n2']);
    // Ticks at 0, 100, …, 500 ms: behind by 2 entries at 200, 300 and 400 ms, since index 2 appeared at 150 ms.
    expect(lag.followers.n2.series).toEqual([
      [0, 0, 0],
      [100, 0, 0],
      [200, 2, 50],
      [300, 2, 150],
      [400, 2, 250],
      [500, 0, 0],
    ]);
    expect(lag.followers.n2.entries!.max).toBe(2);
    expect(lag.followers.n2.ms!.max).toBe(250);
  });
});

describe('replication lag of a node that is down', () => {
  it('leaves out the ticks when the follower is down', () => {
    const metrics: RecordedMetric[] = [
      { tUs: ms(0), node: 'n1', name: 'last_index', value: 1 },
      { tUs: ms(0), node: 'n2', name: 'applied_index', value: 1 },
      { tUs: ms(150), node: 'n1', name: 'last_index', value: 3 },
    ];
    const lag = measureReplicationLag(metrics, ms(500), (node, tUs) => node === 'n2' && tUs >= ms(200));
    expect(lag!.followers.n2.series.map((s) => s[0])).toEqual([0, 100]);
  });
});
