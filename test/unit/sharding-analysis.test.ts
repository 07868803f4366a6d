// The sharding measurement from recorded rows: keys per member at the end, their spread,
// the nodes' keys-moved events grouped into one change each with the ideal K / max(N), and
// the operations that failed while a hand-over was under way.
import { describe, expect, it } from 'vitest';
import { shardingMeasurements } from '../../core/analysis/sharding.js';
import type { RecordedEvent, RecordedMetric } from '../../core/analysis/recorded.js';
import type { HistoryOp } from '../../core/checks/history.js';

const ring = (tUs: number, node: string, members: string[]): RecordedEvent => ({ tUs, node, kind: 'state', data: { key: 'ring', value: { placement: 'ring', vnodes: 16, replicas: 1, members } } });
const moved = (tUs: number, node: string, moved: number, owned: number): RecordedEvent => ({ tUs, node, kind: 'keys-moved', data: { change: 'join', node: 'n4', moved, owned, membersBefore: 3, membersAfter: 4 } });
const metric = (tUs: number, node: string, name: string, value: number): RecordedMetric => ({ tUs, node, name, value });
const op = (id: number, invokeUs: number, outcome: HistoryOp['outcome'], code?: number): HistoryOp => ({ id, client: 'c1', node: 'n1', f: 'read', invokeUs, completeUs: invokeUs + 1000, outcome, detail: { key: 1, ...(code !== undefined && { code }) } });

describe('shardingMeasurements', () => {
  const rings = [ring(0, 'n1', ['n1', 'n2', 'n3']), ring(2_000_000, 'n4', ['n1', 'n2', 'n3', 'n4'])];
  const events: RecordedEvent[] = [
    ...rings,
    moved(2_000_000, 'n1', 10, 40),
    moved(2_001_000, 'n2', 5, 30),
    moved(2_002_000, 'n3', 12, 50),
    moved(2_003_000, 'n4', 0, 0),
    { tUs: 2_050_000, node: 'n4', kind: 'handover-complete', data: {} },
  ];
  const metrics = [
    metric(1_000_000, 'n1', 'keys-owned', 40), metric(1_000_000, 'n2', 'keys-owned', 30), metric(1_000_000, 'n3', 'keys-owned', 50),
    metric(2_100_000, 'n1', 'keys-owned', 30), metric(2_100_000, 'n2', 'keys-owned', 25), metric(2_100_000, 'n3', 'keys-owned', 38), metric(2_100_000, 'n4', 'keys-owned', 27),
    metric(2_020_000, 'n4', 'handover-refused', 2),
  ];
  const history = [
    op(1, 1_500_000, 'fail', 11),
    op(2, 2_010_000, 'fail', 11),
    op(3, 2_020_000, 'unknown', 0),
    op(4, 2_030_000, 'fail', 20),
    op(5, 2_040_000, 'ok'),
    op(6, 2_500_000, 'fail', 11),
  ];
  const m = shardingMeasurements(rings, events, metrics, history);

  it('takes keys per node of the newest view\'s members, with K/N and the spread', () => {
    expect(m.keysPerNode).toStrictEqual({ n1: 30, n2: 25, n3: 38, n4: 27 });
    expect(m.idealPerNode).toBe(30);
    expect(m.maxOverMean).toBe(1.267);
    expect(m.stdDev).toBe(Math.round(Math.sqrt((0 + 25 + 64 + 9) / 4) * 1000) / 1000);
  });

  it('sums each node\'s moved keys into one change, against K / max(N before, N after)', () => {
    expect(m.changes).toStrictEqual([{ atMs: 2000, change: 'join', node: 'n4', membersBefore: 3, membersAfter: 4, keys: 120, moved: 27, ideal: 30, movedShare: 0.225, handoverMs: 50 }]);
  });

  it('counts the operations that failed during the hand-over, not the store\'s own answers nor those outside it', () => {
    expect(m.opsDuringHandover).toBe(4);
    expect(m.failedDuringHandover).toBe(2);
    expect(m.refusedByNodes).toBe(2);
  });

  it('has no spread while no key exists', () => {
    const none = shardingMeasurements([rings[0]], [rings[0]], [], []);
    expect(none).toMatchObject({ keysPerNode: { n1: 0, n2: 0, n3: 0 }, maxOverMean: null, stdDev: null, changes: [], failedDuringHandover: 0 });
  });
});
