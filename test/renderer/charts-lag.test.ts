import { describe, expect, it } from 'vitest';
import type { MessagePoint, MetricPoint } from '../../core/api/contract.js';
import { deriveReplicationLag } from '../../renderer/src/components/charts/derive/replication-lag.js';
import { countFates, longestFlightMs, medianFlightMs, messagesInWindow, sortedBySend } from '../../renderer/src/components/charts/derive/message-window.js';

describe('replication lag', () => {
  // n1 leads and appends entries 1–3 at 50, 150 and 250 ms; n2 keeps up, n3 falls behind.
  const metrics: MetricPoint[] = [
    [50, 'n1', 'last_index', 1],
    [60, 'n2', 'applied_index', 1],
    [60, 'n1', 'applied_index', 1],
    [150, 'n1', 'last_index', 2],
    [250, 'n1', 'last_index', 3],
    [260, 'n2', 'applied_index', 3],
    [70, 'n3', 'applied_index', 0],
    [280, 'n3', 'applied_index', 1],
  ];

  it('counts entries and ms behind the leader on a 100 ms grid, leaving the leader out', () => {
    const lag = deriveReplicationLag(metrics, 300)!;
    expect(lag.followers.map((f) => f.node)).toEqual(['n2', 'n3']);
    const [n2, n3] = lag.followers;
    expect(n2.points).toEqual([
      [100, 0, 0],
      [200, 1, 50],
      [300, 0, 0],
    ]);
    // n3 applied nothing until 280: at 100 it misses entry 1 (created at 50).
    expect(n3.points).toEqual([
      [100, 1, 50],
      [200, 2, 150],
      [300, 2, 150],
    ]);
    expect(lag.maxEntries).toBe(2);
    expect(lag.maxMs).toBe(150);
  });

  it('breaks a follower’s line while it leads or is down', () => {
    const withHandover: MetricPoint[] = [...metrics, [265, 'n2', 'last_index', 3]];
    const n2 = deriveReplicationLag(withHandover, 400)!.followers.find((f) => f.node === 'n2')!;
    expect(n2.points).toEqual([
      [100, 0, 0],
      [200, 1, 50],
      [300, null, null],
    ]);
    const n3 = deriveReplicationLag(metrics, 300, [{ node: 'n3', cause: 'kill', fromMs: 150, toMs: 300 }])!.followers[1];
    expect(n3.points).toEqual([
      [100, 1, 50],
      [200, null, null],
      [300, 2, 150],
    ]);
  });

  it('takes the leader from the election telemetry, and measures a stale leader as a follower', () => {
    // n1 leads term 1 until 1000 but is cut off at 500 and keeps reporting; n2 leads term 2 from 500.
    const twoPrimaries: MetricPoint[] = [
      [100, 'n1', 'last_index', 1],
      [100, 'n1', 'applied_index', 1],
      [100, 'n2', 'applied_index', 1],
      [100, 'n3', 'applied_index', 1],
      [550, 'n2', 'last_index', 4],
      [560, 'n3', 'applied_index', 2],
      [580, 'n1', 'last_index', 9],
    ];
    const leaders = [
      { node: 'n1', term: 1, fromMs: 50, toMs: 1000 },
      { node: 'n2', term: 2, fromMs: 500, toMs: 2000 },
    ];
    const lag = deriveReplicationLag(twoPrimaries, 700, [], leaders)!;
    expect(lag.followers.map((f) => f.node)).toEqual(['n1', 'n2', 'n3']);
    const [n1, n2, n3] = lag.followers;
    // n2 follows n1 until it leads; n3 is measured against n2's index 4, not stale n1's 9,
    // and so is n1 once n2 leads: 3 behind n2's index 4, whatever its own log holds.
    expect(n2.points.map((p) => p[1])).toEqual([0, 0, 0, 0, null]);
    expect(n3.points.map((p) => p[1])).toEqual([0, 0, 0, 0, 0, 2, 2]);
    expect(n1.points.map((p) => [p[0], p[1]])).toEqual([[500, 0], [600, 3], [700, 3]]);
  });

  it('is null without replication metrics', () => {
    expect(deriveReplicationLag([[1, 'n1', 'suspicion.n2', 1]], 100)).toBeNull();
  });
});

describe('message windows', () => {
  const m = (id: number, send: number, deliver: number | null): MessagePoint => [id, 'n1', 'n2', 'x', send, deliver, deliver === null ? 'lost' : 'delivered', id];
  const messages = [m(1, 0, 500), m(2, 100, 110), m(3, 900, 950), m(4, 1000, null), m(5, 1500, 1510), m(6, 2100, 2105)];

  it('finds the arrows that cross a window, including long flights into it', () => {
    const longest = longestFlightMs(messages);
    expect(longest).toBe(500);
    expect(messagesInWindow(messages, 400, 1500, longest).map((x) => x[0])).toEqual([1, 3, 4, 5]);
    expect(messagesInWindow(messages, 3000, 4000, longest)).toEqual([]);
  });

  it('counts what became of the messages sent in the window', () => {
    const withFate = (x: MessagePoint, fate: string, dupOf: number | null = null): MessagePoint => [x[0], x[1], x[2], x[3], x[4], x[5], fate, x[7], dupOf];
    const fates = [m(1, 10, 20), withFate(m(2, 20, null), 'partitioned'), withFate(m(3, 30, 40), 'delivered', 1), m(4, 40, null), withFate(m(5, 50, null), 'undeliverable')];
    expect(countFates(fates, 15, 50)).toEqual({ sent: 4, originals: 3, lost: 1, partitioned: 1, dropped: 1, duplicated: 1, corrupted: 0 });
  });

  it('sorts by send time only when needed, and takes the median flight', () => {
    expect(sortedBySend(messages)).toBe(messages);
    const shuffled = [messages[2], messages[0], messages[1]];
    expect(sortedBySend(shuffled).map((x) => x[0])).toEqual([1, 2, 3]);
    expect(medianFlightMs(messages, 7)).toBe(10);
    expect(medianFlightMs([], 7)).toBe(7);
  });
});
