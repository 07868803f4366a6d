import { describe, it, expect } from 'vitest';
import { checkClockCondition } from '../../core/checks/clock-condition.js';
import { checkCausalDelivery, type DeliveryRecord } from '../../core/checks/causal.js';

describe('checkClockCondition', () => {
  // n1 sends at C=1 to n2 (receive at C=2), n2 sends at C=3 to n1 (receive at C=4).
  const sends = [
    { src: 'n1', dest: 'n2', lamport: 1 },
    { src: 'n2', dest: 'n1', lamport: 3 },
  ];
  const events = [
    { node: 'n1', tUs: 10, lamport: 1 },
    { node: 'n2', tUs: 20, lamport: 2 },
    { node: 'n2', tUs: 30, lamport: 3 },
    { node: 'n1', tUs: 40, lamport: 4 },
  ];

  it('passes a run where every receive is later than its send and clocks only grow', () => {
    const receives = [
      { node: 'n2', from: 'n1', sentLamport: 1, lamport: 2 },
      { node: 'n1', from: 'n2', sentLamport: 3, lamport: 4 },
    ];
    expect(checkClockCondition(sends, receives, events)).toEqual({
      valid: true,
      pairsChecked: 2,
      eventsChecked: 4,
      receiveViolations: 0,
      localViolations: 0,
      unmatchedReceives: 0,
      violations: [],
    });
  });

  it('fails a receive whose clock is not greater than the send', () => {
    const receives = [
      { node: 'n2', from: 'n1', sentLamport: 1, lamport: 2 },
      { node: 'n1', from: 'n2', sentLamport: 3, lamport: 3 },
    ];
    const result = checkClockCondition(sends, receives, events);
    expect(result.valid).toBe(false);
    expect(result.receiveViolations).toBe(1);
    expect(result.violations).toEqual([{ kind: 'receive-not-after-send', node: 'n1', from: 'n2', sentLamport: 3, lamport: 3 }]);
  });

  it('fails a node whose clock goes back, and counts receives with no recorded send', () => {
    const backwards = [...events, { node: 'n1', tUs: 50, lamport: 4 }, { node: 'n2', tUs: 60, lamport: 1 }];
    const receives = [{ node: 'n3', from: 'n1', sentLamport: 9, lamport: 10 }];
    const result = checkClockCondition(sends, receives, backwards);
    expect(result).toMatchObject({ valid: false, localViolations: 2, receiveViolations: 0, unmatchedReceives: 1 });
    expect(result.violations).toEqual([
      { kind: 'local-not-increasing', node: 'n1', tUs: 50, lamport: 4, previousLamport: 4 },
      { kind: 'local-not-increasing', node: 'n2', tUs: 60, lamport: 1, previousLamport: 3 },
    ]);
  });
});

describe('checkCausalDelivery', () => {
  // m1 = (n1, 1); m2 = (n2, 1) sent after n2 delivered m1; m3 = (n3, 1) concurrent with both.
  const vc1 = { n1: 1, n2: 0, n3: 0 };
  const vc2 = { n1: 1, n2: 1, n3: 0 };
  const vc3 = { n1: 0, n2: 0, n3: 1 };
  const broadcasts = [
    { origin: 'n1', seq: 1 },
    { origin: 'n2', seq: 1 },
    { origin: 'n3', seq: 1 },
  ];
  const d = (node: string, origin: string, vc: Record<string, number>, tUs: number): DeliveryRecord => ({ node, origin, seq: 1, vc, tUs });
  const inOrder = [
    d('n1', 'n1', vc1, 1), d('n2', 'n1', vc1, 2), d('n2', 'n2', vc2, 3), d('n3', 'n3', vc3, 1),
    d('n3', 'n1', vc1, 5), d('n3', 'n2', vc2, 6), d('n1', 'n2', vc2, 7), d('n1', 'n3', vc3, 8), d('n2', 'n3', vc3, 9),
  ];

  it('passes causal deliveries, concurrent messages in any order', () => {
    expect(checkCausalDelivery(inOrder, broadcasts, ['n1', 'n2', 'n3'])).toEqual({
      valid: true, complete: true, deliveries: 9, duplicates: 0, outOfOrder: 0, missing: 0, violations: [], missingExamples: [],
    });
  });

  it('fails a node that delivers m2 before m1', () => {
    const swapped = inOrder.map((x) => (x.node === 'n3' && x.origin === 'n1' ? { ...x, tUs: 7 } : x));
    const result = checkCausalDelivery(swapped, broadcasts, ['n1', 'n2', 'n3']);
    expect(result).toMatchObject({ valid: false, complete: true, outOfOrder: 1 });
    expect(result.violations).toEqual([{ kind: 'out-of-order', node: 'n3', origin: 'n2', seq: 1, tUs: 6, missing: { origin: 'n1', seq: 1 } }]);
  });

  it('fails m2 delivered when m1 never is, and reports m1 as missing', () => {
    const withoutM1 = inOrder.filter((x) => !(x.node === 'n3' && x.origin === 'n1'));
    const result = checkCausalDelivery(withoutM1, broadcasts, ['n1', 'n2', 'n3']);
    expect(result).toMatchObject({ valid: false, complete: false, outOfOrder: 1, missing: 1, missingExamples: [{ node: 'n3', origin: 'n1', seq: 1 }] });
  });

  it('fails a duplicate delivery', () => {
    const result = checkCausalDelivery([...inOrder, d('n2', 'n1', vc1, 20)], broadcasts, ['n1', 'n2', 'n3']);
    expect(result).toMatchObject({ valid: false, duplicates: 1, outOfOrder: 0 });
    expect(result.violations).toEqual([{ kind: 'duplicate', node: 'n2', origin: 'n1', seq: 1, tUs: 20 }]);
  });

  it('is valid but incomplete when a delivery is missing without a dependant', () => {
    const result = checkCausalDelivery(inOrder.filter((x) => !(x.node === 'n2' && x.origin === 'n3')), broadcasts, ['n1', 'n2', 'n3']);
    expect(result).toMatchObject({ valid: true, complete: false, missing: 1 });
  });

  it('needs every earlier broadcast of the same origin first (FIFO is part of causality)', () => {
    const first = { n1: 1, n2: 0 };
    const second = { n1: 2, n2: 0 };
    const deliveries = [
      { node: 'n1', origin: 'n1', seq: 1, vc: first, tUs: 1 },
      { node: 'n1', origin: 'n1', seq: 2, vc: second, tUs: 2 },
      { node: 'n2', origin: 'n1', seq: 2, vc: second, tUs: 3 },
      { node: 'n2', origin: 'n1', seq: 1, vc: first, tUs: 4 },
    ];
    const result = checkCausalDelivery(deliveries, [{ origin: 'n1', seq: 1 }, { origin: 'n1', seq: 2 }], ['n1', 'n2']);
    expect(result).toMatchObject({ valid: false, outOfOrder: 1, violations: [{ node: 'n2', seq: 2, missing: { origin: 'n1', seq: 1 } }] });
  });

  it('still finds predecessors when an origin\'s clocks are not a chain', () => {
    // (n1, 2) carries a clock that does not follow (n1, 1): compare broadcast by broadcast.
    const deliveries = [
      { node: 'n2', origin: 'n1', seq: 1, vc: { n1: 1, n2: 0 }, tUs: 1 },
      { node: 'n2', origin: 'n1', seq: 2, vc: { n1: 0, n2: 5 }, tUs: 2 },
      { node: 'n2', origin: 'n2', seq: 1, vc: { n1: 2, n2: 6 }, tUs: 3 },
      { node: 'n3', origin: 'n2', seq: 1, vc: { n1: 2, n2: 6 }, tUs: 4 },
      { node: 'n3', origin: 'n1', seq: 2, vc: { n1: 0, n2: 5 }, tUs: 5 },
    ];
    const result = checkCausalDelivery(deliveries, [], []);
    expect(result.outOfOrder).toBe(1);
    expect(result.violations[0]).toMatchObject({ node: 'n3', origin: 'n2', missing: { origin: 'n1', seq: 1 } });
  });

  it('handles thousands of broadcasts quickly', () => {
    // Three origins take turns, each broadcast after seeing all earlier ones: one long causal chain.
    const origins = ['n1', 'n2', 'n3'];
    const clock: Record<string, number> = { n1: 0, n2: 0, n3: 0 };
    const stamped = Array.from({ length: 3000 }, (_, i) => {
      const origin = origins[i % 3];
      clock[origin]++;
      return { origin, seq: clock[origin], vc: { ...clock } };
    });
    const deliveries = origins.flatMap((node) => stamped.map((m, i) => ({ node, ...m, tUs: i })));
    const began = performance.now();
    const result = checkCausalDelivery(deliveries, stamped, origins);
    expect(result).toMatchObject({ valid: true, complete: true, deliveries: 9000 });
    expect(performance.now() - began).toBeLessThan(2000);
  });
});
