import { describe, expect, it } from 'vitest';
import type { FaultPoint } from '../../core/api/contract.js';
import { faultShading, networkBands, nodeMarks, nodeSpans, placeLabels } from '../../renderer/src/components/charts/fault-marks.js';

// raft-leader-faults: the leader killed at 5 s, the next one cut off at 12 s, healed at 16 s.
const faults: FaultPoint[] = [
  [5008, 'kill', { nodes: ['n1'] }, 'schedule'],
  [12000, 'partition-pattern', { pattern: 'leader', groups: [['n3'], ['n1', 'n2', 'n4', 'n5']] }, 'schedule'],
  [14000, 'change-link', { loss: { p: 0.1 } }, 'live'],
  [16000, 'heal', {}, 'schedule'],
];

describe('faults on time charts', () => {
  it('shades network faults from their start to the heal (a link change to the next change or the end)', () => {
    expect(networkBands(faults, 22000)).toEqual([
      { fromS: 12, toS: 16, label: 'partition (leader)', source: 'scheduled' },
      { fromS: 14, toS: 22, label: 'every link: loss 10%', source: 'injected by hand' },
    ]);
  });

  it('marks a kill at its instant instead of a band to the end of the run', () => {
    expect(nodeMarks(faults)).toEqual([{ s: 5.008, label: 'kill n1', source: 'scheduled', down: true }]);
  });

  it('places each label at its time, in rows so that none overlaps, folding the rest into a count', () => {
    const pxPerS = 20; // a 22 s run on a 440 px plot
    const items = [
      { s: 5, text: 'kill n1' },
      { s: 5.5, text: 'kill n2' },
      { s: 6, text: 'kill n3' },
      { s: 6.2, text: 'kill n4' },
      { s: 6.4, text: 'kill n5' },
      { s: 12, text: 'partition (leader)' },
    ];
    const placed = placeLabels(items, pxPerS, 3);
    expect(placed.map((l) => [l.s, l.row])).toEqual([[5, 0], [5.5, 1], [6, 2], [12, 0]]);
    expect(placed.find((l) => l.s === 6)?.text).toBe('kill n3 +2');
    // No two labels of one row overlap, given ~5.6 px per character.
    for (const a of placed) for (const b of placed) if (a !== b && a.row === b.row && a.s < b.s) expect(a.s * pxPerS + a.text.length * 5.6).toBeLessThanOrEqual(b.s * pxPerS);
  });

  it('shades a node down from its kill, stop or pause to the restart or resume, in the same marks every view reads', () => {
    const run: FaultPoint[] = [
      [3000, 'pause', { nodes: ['n2'] }, 'live'],
      [5008, 'kill', { nodes: ['n1', 'n3'], skipped: ['n3'] }, 'schedule'],
      [9000, 'restart', { nodes: ['n1'] }, 'schedule'],
      [10000, 'kill', { nodes: ['n1'] }, 'schedule'],
    ];
    expect(nodeSpans(run, 22000)).toEqual([
      { node: 'n2', fromS: 3, toS: 22, label: 'pause n2', source: 'injected by hand' },
      { node: 'n1', fromS: 5.008, toS: 9, label: 'kill n1', source: 'scheduled' },
      { node: 'n1', fromS: 10, toS: 22, label: 'kill n1', source: 'scheduled' },
    ]);
    // The replay bar, the fault timeline and the space-time diagram shade from one call.
    const shading = faultShading([...faults, ...run].sort((a, b) => a[0] - b[0]), 22000);
    expect(shading.network.map((b) => b.label)).toEqual(['partition (leader)', 'every link: loss 10%']);
    expect(shading.nodes.map((s) => `${s.label} ${s.fromS}-${s.toS}`)).toEqual(['pause n2 3-22', 'kill n1 5.008-9', 'kill n1 10-22']);
  });
});
