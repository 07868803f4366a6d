import { describe, expect, it } from 'vitest';
import type { MessagePoint } from '../../core/api/contract.js';
import { buildCausalGraph, causalCone, coneSize, inFuture, inPast, messageSide, receiveId, sendId } from '../../renderer/src/components/charts/derive/causality.js';

// n1 ──m0──▶ n2 ──m1──▶ n3, and n3 ──m2──▶ n1 sent before it heard anything (concurrent),
// plus m3 from n1 to n3 that was lost.
const msg = (id: number, src: string, dest: string, send: number, deliver: number | null, fate = 'delivered'): MessagePoint => [id, src, dest, 'x', send, deliver, fate, id + 1];
const messages: MessagePoint[] = [msg(0, 'n1', 'n2', 1, 2), msg(1, 'n2', 'n3', 3, 4), msg(2, 'n3', 'n1', 0.5, 5), msg(3, 'n1', 'n3', 6, null, 'lost')];

describe('happened-before over a message graph', () => {
  const graph = buildCausalGraph(messages);

  it('orders each lane by time', () => {
    expect(graph.lanes.get('n1')).toEqual([sendId(0), receiveId(2), sendId(3)]);
    expect(graph.lanes.get('n3')).toEqual([sendId(2), receiveId(1)]);
    expect(graph.position[receiveId(3)]).toBe(-1);
  });

  it('finds the causal past through send → receive edges', () => {
    const cone = causalCone(graph, receiveId(1)); // n3 receives m1 at 4
    expect(inPast(graph, cone, sendId(1))).toBe(true); // n2 sent it
    expect(inPast(graph, cone, receiveId(0))).toBe(true); // n2 had heard from n1 before
    expect(inPast(graph, cone, sendId(0))).toBe(true); // transitively
    expect(inPast(graph, cone, sendId(2))).toBe(true); // earlier on n3's own lane
    expect(inPast(graph, cone, receiveId(2))).toBe(false); // n1 hears from n3 at 5: concurrent
    expect(inFuture(graph, cone, receiveId(2))).toBe(false);
    expect(coneSize(graph, cone)).toEqual({ past: 4, future: 0, concurrent: 2 }); // n1's receive of m2 and its send of m3
  });

  it('finds the causal future', () => {
    const cone = causalCone(graph, sendId(0)); // n1 sends m0 at 1
    expect(inFuture(graph, cone, receiveId(0))).toBe(true);
    expect(inFuture(graph, cone, sendId(1))).toBe(true);
    expect(inFuture(graph, cone, receiveId(1))).toBe(true);
    expect(inFuture(graph, cone, sendId(3))).toBe(true); // later on n1's lane
    expect(inFuture(graph, cone, sendId(2))).toBe(false); // n3 sent m2 before hearing of m0
    expect(inPast(graph, cone, sendId(2))).toBe(false);
    expect(coneSize(graph, cone)).toEqual({ past: 0, future: 5, concurrent: 1 }); // n3's send of m2
  });

  it('says which arrows belong to the past and the future', () => {
    const cone = causalCone(graph, receiveId(0)); // n2 receives m0 at 2
    expect(messageSide(graph, cone, 0)).toBe('self');
    expect(messageSide(graph, cone, 1)).toBe('future');
    expect(messageSide(graph, cone, 2)).toBe(null);
    expect(messageSide(graph, causalCone(graph, sendId(3)), 2)).toBe('past'); // n3 → n1 arrived before n1 sent m3
    expect(messageSide(graph, causalCone(graph, sendId(3)), 0)).toBe(null); // n1 sent m0 before, but its arrival at n2 is concurrent
  });

  it('refuses the receive of a message that never arrived', () => {
    expect(() => causalCone(graph, receiveId(3))).toThrow(/never delivered/);
  });
});

describe('clocks in the tooltip', () => {
  it('writes the vector clock compactly with the sender’s own entry in bold, and says when a client message has none', async () => {
    const { describeEvent, vectorClockLine } = await import('../../renderer/src/components/charts/space-time/describe.js');
    const line = vectorClockLine({ n3: 7, n1: 4, n2: 1 }, 'n1');
    expect(line.map((p) => p.text).join('')).toBe('[n1:4 n2:1 n3:7]');
    expect(line.filter((p) => p.bold).map((p) => p.text)).toEqual(['n1:4']);
    const fromNode: MessagePoint = [5, 'n1', 'n2', 'gossip', 10, 12, 'delivered', 9, null, { n1: 4, n2: 1 }];
    const text = (lines: ReturnType<typeof describeEvent>) => lines.map((l) => l.map((p) => p.text).join('')).join('\n');
    expect(text(describeEvent(fromNode, 'send'))).toMatch(/vector clock: \[n1:4 n2:1\]/);
    expect(text(describeEvent(fromNode, 'receive'))).toMatch(/sender’s vector clock: \[n1:4 n2:1\]; n2 takes the maximum, \+1 at n2/);
    const fromClient: MessagePoint = [6, 'c1', 'n1', 'broadcast', 10, 11, 'delivered', null, null, null];
    expect(text(describeEvent(fromClient, 'send'))).toMatch(/client message, no clock/);
    expect(text(describeEvent(fromClient, 'send'))).not.toMatch(/Lamport/);
  });
});
