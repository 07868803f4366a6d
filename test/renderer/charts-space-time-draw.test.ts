import { describe, expect, it } from 'vitest';
import type { MessagePoint } from '../../core/api/contract.js';
import { drawFrame } from '../../renderer/src/components/charts/space-time/draw.js';
import { clockText, placeClockLabels } from '../../renderer/src/components/charts/space-time/clock-labels.js';
import { foldDenseArrows } from '../../renderer/src/components/charts/space-time/fold.js';
import { makeLayout, xOf } from '../../renderer/src/components/charts/space-time/geometry.js';
import type { Palette } from '../../renderer/src/components/charts/space-time/palette.js';
import { buildCausalGraph, causalCone, sendId } from '../../renderer/src/components/charts/derive/causality.js';

/** A 2D context that keeps the path points and the text it was asked to draw. */
function recordingContext() {
  const calls: Array<[string, unknown[]]> = [];
  const ctx = new Proxy(
    {},
    {
      get(target: Record<string, unknown>, key: string) {
        if (key === 'calls') return calls;
        if (key === 'measureText') return (t: string) => ({ width: t.length * 6 });
        if (key in target) return target[key];
        return (...args: unknown[]) => calls.push([key, args]);
      },
      set(target: Record<string, unknown>, key: string, value: unknown) {
        target[key] = value;
        return true;
      },
    },
  );
  return ctx as unknown as CanvasRenderingContext2D & { calls: Array<[string, unknown[]]> };
}

const palette = new Proxy({}, { get: (_t, key) => (key === 'font' || key === 'mono' ? 'sans' : `#${String(key)}`) }) as Palette;
const frame = (messages: MessagePoint[], width = 1052, extra = {}) => ({
  layout: makeLayout(width, 400, ['n1', 'n2', 'n3'], 0, 1000),
  palette,
  messages,
  faults: { network: [], nodes: [] },
  nominalFlightMs: 20,
  highlight: null,
  hovered: null,
  selectedNode: null,
  runMs: 1000,
  live: false,
  traffic: [],
  ...extra,
});

describe('space-time drawing', () => {
  it('ends a dropped message in an ✕ half a flight after its send, on every kind of drop', () => {
    for (const fate of ['lost', 'partitioned', 'overflow', 'undeliverable']) {
      const ctx = recordingContext();
      const f = frame([[1, 'n1', 'n3', 'append', 500, null, fate, 4, null, { n1: 4 }]]);
      drawFrame(ctx, f);
      const x = xOf(f.layout, 510);
      const y = (f.layout.laneY.get('n1')! + f.layout.laneY.get('n3')!) / 2;
      // The cross: two strokes through (x, y), 4 px each way.
      expect(ctx.calls).toContainEqual(['moveTo', [x - 4, y - 4]]);
      expect(ctx.calls).toContainEqual(['lineTo', [x + 4, y + 4]]);
    }
  });

  it('rings the events concurrent with the hovered one, apart from its causal past and future', () => {
    // n1 → n2, then n2 → n3 after that receive (its future); n3 → n1 sent before anything reached n3 (concurrent).
    const messages: MessagePoint[] = [
      [1, 'n1', 'n2', 'a', 100, 200, 'delivered', 1, null, null],
      [2, 'n2', 'n3', 'b', 300, 400, 'delivered', 2, null, null],
      [3, 'n3', 'n1', 'c', 150, 600, 'delivered', 3, null, null],
    ];
    const graph = buildCausalGraph(messages);
    const hovered = sendId(0);
    const ctx = recordingContext();
    drawFrame(ctx, frame(messages, 1052, { highlight: { graph, cone: causalCone(graph, hovered) }, hovered }));
    const L = frame(messages).layout;
    const arcsAt = (x: number, y: number) => ctx.calls.filter(([k, a]) => k === 'arc' && Math.abs((a[0] as number) - x) < 0.01 && Math.abs((a[1] as number) - y) < 0.01 && a[2] === 3.5);
    // n3's send of c (150 ms) is concurrent with n1's send of a: a ring (radius 3.5, no other dot has it) there.
    expect(arcsAt(xOf(L, 150), L.laneY.get('n3')!)).toHaveLength(1);
    // The receive of b at n3 (400 ms) is in a's future: no ring.
    expect(arcsAt(xOf(L, 400), L.laneY.get('n3')!)).toHaveLength(0);
  });

  const heartbeats = (count: number, everyMs: number): MessagePoint[] => Array.from({ length: count }, (_, i) => [i + 1, 'n1', 'n2', 'heartbeat', 100 + i * everyMs, 110 + i * everyMs, 'delivered', i, null, null]);

  it('folds arrows of one type and pair sent closer than a few pixels into a band with a count', () => {
    // 1000 px for 1000 ms: sends 1 ms apart are 1 px apart.
    const L = makeLayout(1052, 400, ['n1', 'n2', 'n3'], 0, 1000);
    const dense = heartbeats(40, 1);
    const { folds, folded } = foldDenseArrows(dense, L, () => true);
    expect(folds).toHaveLength(1);
    expect(folds[0]).toMatchObject({ src: 'n1', dest: 'n2', type: 'heartbeat', count: 40, sendFrom: xOf(L, 100), sendTo: xOf(L, 139) });
    expect([...folded].every((v) => v === 1)).toBe(true);
    // Sends 20 px apart stay arrows; so does a lone message of another type among the dense ones.
    expect(foldDenseArrows(heartbeats(40, 20), L, () => true).folds).toEqual([]);
    const mixed = dense.map((m, i): MessagePoint => (i === 20 ? [m[0], m[1], m[2], 'vote', m[4], m[5], m[6], m[7], null, null] : m));
    const split = foldDenseArrows(mixed, L, () => true);
    expect(split.folds.map((f) => [f.type, f.count])).toEqual([['heartbeat', 39]]);
    expect(split.folded[20]).toBe(0);
    const ctx = recordingContext();
    const targets = drawFrame(ctx, frame(dense));
    expect([targets.folds, targets.foldedArrows]).toEqual([1, 40]);
    expect(ctx.calls).toContainEqual(['fillText', ['40×', expect.any(Number), expect.any(Number)]]);
    // Two folds whose counts would sit on top of each other: the second count is left out, its band stays.
    const back = dense.map((m): MessagePoint => [m[0] + 100, 'n2', 'n1', m[3], m[4], m[5], m[6], m[7], null, null]);
    const both = recordingContext();
    expect(drawFrame(both, frame([...dense, ...back].sort((a, b) => a[4] - b[4]))).folds).toBe(2);
    expect(both.calls.filter(([k, a]) => k === 'fillText' && a[0] === '40×')).toHaveLength(1);
    // A sample of the messages in view (following a live run) folds nothing: its count would not be the run's.
    expect(drawFrame(recordingContext(), frame(dense, 1052, { sampled: true })).folds).toBe(0);
  });

  it('labels send dots with their Lamport value or vector clock only once all of them fit', () => {
    const m: MessagePoint = [1, 'n1', 'n2', 'gossip', 100, 110, 'delivered', 7, null, { n2: 1, n1: 4, n10: 2 }];
    expect(clockText(m, 'lamport')).toBe('7');
    expect(clockText(m, 'vector')).toBe('[n1:4 n2:1 n10:2]');
    expect(clockText([2, 'c1', 'n1', 'read', 0, 1, 'delivered', null, null, null], 'vector')).toBeNull();
    const width = (t: string) => t.length * 6;
    const far = [{ x: 100, y: 50, text: '[n1:4 n2:1]' }, { x: 200, y: 50, text: '[n1:5 n2:1]' }, { x: 120, y: 90, text: '[n1:4 n2:2]' }];
    expect(placeClockLabels(far, width, 60)).toEqual(far);
    // Two sends of one instant stack in rows, while the half lane above the dots holds them.
    const burst = [...far, { x: 150, y: 50, text: '[n1:6 n2:1]' }];
    expect(placeClockLabels(burst, width, 60)?.find((l) => l.x === 150)).toEqual({ x: 150, y: 50 - 11, text: '[n1:6 n2:1]' });
    expect(placeClockLabels([...burst, { x: 160, y: 50, text: '[n1:7 n2:1]' }], width, 60)).toBeNull();
    expect(placeClockLabels(burst, width, 24)).toBeNull();
    expect(placeClockLabels(far, width, 12)).toBeNull();
    // Near the plot's left side a label shifts inward instead of being cut.
    expect(placeClockLabels([{ x: 60, y: 50, text: '[n1:4 n2:1]' }], width, 60, { left: 52, right: 1040 })).toEqual([{ x: 52 + 33, y: 50, text: '[n1:4 n2:1]' }]);
    const ctx = recordingContext();
    const sparse = heartbeats(5, 150);
    expect(drawFrame(ctx, frame(sparse, 1052, { clockLabels: 'lamport' })).clockLabels).toBe('drawn');
    expect(ctx.calls.filter(([k]) => k === 'fillText').map(([, a]) => a[0])).toEqual(expect.arrayContaining(['0', '1', '2', '3', '4']));
    expect(drawFrame(recordingContext(), frame(heartbeats(200, 4), 1052, { clockLabels: 'lamport' })).clockLabels).toBe('zoom-in');
  });
});
