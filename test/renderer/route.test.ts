// The lab's addresses: what each hash opens, and the hash each view writes back; a moment of
// a run in the units `distlab replay --at` reads; a hash that is no page of the lab is null.
import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../renderer/src/stores/route.js';

describe('hash routes', () => {
  it('reads the pages of the lab, and a moment of a run in s or ms', () => {
    expect(parseRoute('')).toEqual({ kind: 'experiments' });
    expect(parseRoute('#/experiments')).toEqual({ kind: 'experiments' });
    expect(parseRoute('#/runs')).toEqual({ kind: 'runs' });
    expect(parseRoute('#/runs/12')).toEqual({ kind: 'run', runId: 12, tMs: null });
    expect(parseRoute('#/runs/12?t=5.250s')).toEqual({ kind: 'run', runId: 12, tMs: 5250 });
    expect(parseRoute('#/runs/12?t=5250ms')).toEqual({ kind: 'run', runId: 12, tMs: 5250 });
    expect(parseRoute('#/runs/12?t=750')).toEqual({ kind: 'run', runId: 12, tMs: 750 });
  });

  it('keeps a time it cannot read, to say so, and refuses what is no page', () => {
    expect(parseRoute('#/runs/12?t=soon')).toEqual({ kind: 'run', runId: 12, tMs: null, badTime: 'soon' });
    expect(parseRoute('#/runs/abc')).toBeNull();
    expect(parseRoute('#/runs/0')).toBeNull();
    expect(parseRoute('#/settings')).toBeNull();
  });

  it('writes each view back as the hash that opens it', () => {
    expect(formatRoute({ kind: 'experiments' })).toBe('#/experiments');
    expect(formatRoute({ kind: 'runs' })).toBe('#/runs');
    expect(formatRoute({ kind: 'run', runId: 12, live: false })).toBe('#/runs/12');
    expect(formatRoute({ kind: 'run', runId: 12, live: false }, 5250)).toBe('#/runs/12?t=5.250s');
    // To the µs the record keeps, so that a link to an event lands on it.
    expect(formatRoute({ kind: 'run', runId: 7, live: false }, 1234.5)).toBe('#/runs/7?t=1.2345s');
    expect(formatRoute({ kind: 'run', runId: 7, live: false }, 1500.001)).toBe('#/runs/7?t=1.500001s');
    for (const ms of [0, 1234.5, 1500.001, 61_000.125]) expect(parseRoute(formatRoute({ kind: 'run', runId: 7, live: false }, ms))).toEqual({ kind: 'run', runId: 7, tMs: ms });
  });
});

describe('addresses of the compare and sweep views', () => {
  it('reads and writes #/compare?runs=… and #/sweeps/N, refusing what is not a page', async () => {
    const { parseRoute, formatRoute } = await import('../../renderer/src/stores/route.js');
    expect(parseRoute('#/compare?runs=3,4')).toEqual({ kind: 'compare', runIds: [3, 4] });
    expect(formatRoute({ kind: 'compare', runIds: [3, 4, 7] })).toBe('#/compare?runs=3,4,7');
    expect(parseRoute('#/compare?runs=3')).toBeNull();
    expect(parseRoute('#/compare?runs=1,2,3,4,5')).toBeNull();
    expect(parseRoute('#/sweeps/2')).toEqual({ kind: 'sweep', sweepId: 2 });
    expect(formatRoute({ kind: 'sweep', sweepId: 2 })).toBe('#/sweeps/2');
    expect(parseRoute('#/sweeps/0')).toBeNull();
  });
});
