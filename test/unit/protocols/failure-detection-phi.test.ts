import { describe, it, expect } from 'vitest';
import { event, metric, setTimer, state } from '../../../core/sdk/index.js';
import type { Output } from '../../../core/sdk/index.js';
import { PHI_CAP, phiAccrual, type PhiState } from '../../../core/protocols/failure-detection/phi-accrual.js';
import { addInterval, bootstrapWindow, phi, phiOf } from '../../../core/protocols/failure-detection/phi.js';
import { createSim, driveNode } from './sim.js';

const beat = { type: 'heartbeat' };
const settings = { acceptablePauseMs: 0, minStdDevMs: 20 };

/** y where the logistic tail e/(1+e), e = exp(−y(1.5976 + 0.070566y²)), is 10^−φ. */
function yForPhi(target: number): number {
  const tail = (y: number) => {
    const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
    return e / (1 + e);
  };
  let lo = 0;
  let hi = 20;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (-Math.log10(tail(mid)) < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

const phiMetric = (outputs: Output[], peer = 'n2'): number => {
  const m = outputs.find((o) => o.kind === 'metric' && o.name === `suspicion.${peer}`);
  if (!m || m.kind !== 'metric') throw new Error('no suspicion metric');
  return m.value;
};

describe('φ', () => {
  it('is log10(2) at the mean, grows with silence and reaches +∞ far out', () => {
    expect(phi(100, 100, 20)).toBeCloseTo(Math.log10(2), 12);
    expect(phi(50, 100, 20)).toBeLessThan(0.01);
    expect(phi(100 + 20 * yForPhi(8), 100, 20)).toBeCloseTo(8, 6);
    expect(phi(10_000, 100, 20)).toBe(Number.POSITIVE_INFINITY);
  });

  it('bootstraps as Akka does and keeps a bounded window', () => {
    const boot = bootstrapWindow(100);
    expect(boot.intervals).toEqual([75, 125]);
    expect(boot.mean).toBe(100);
    expect(boot.stdDev).toBe(25);
    let w = boot;
    for (let i = 0; i < 10; i++) w = addInterval(w, 200, 3);
    expect(w.intervals).toEqual([200, 200, 200]);
    expect(w.mean).toBe(200);
    expect(w.stdDev).toBe(0);
  });

  it('shifts the mean by the acceptable pause and floors the sd', () => {
    const w = addInterval(addInterval(bootstrapWindow(100), 100, 3), 100, 3); // [125, 100, 100]
    expect(phiOf(w, 400, { acceptablePauseMs: 300, minStdDevMs: 20 })).toBeCloseTo(phi(400, w.mean + 300, 20), 12);
    expect(phiOf(w, 150, { acceptablePauseMs: 0, minStdDevMs: 1 })).toBeCloseTo(phi(150, w.mean, w.stdDev), 12);
  });
});

describe('phi-accrual, driven by hand', () => {
  it('rises monotonically on silence and crosses the threshold at mean + y₈·minStdDev', () => {
    const node = driveNode<PhiState>(phiAccrual, 'n1', ['n1', 'n2']);
    for (let t = 100; t <= 1000; t += 100) node.message('n2', beat, t);
    // Window [75, 125, 100 × 9]: mean 100, sd 10.7 < minStdDev, so sd = 20.
    const crossing = 1000 + 100 + 20 * yForPhi(8); // y₈ ≈ 5.226
    expect(crossing).toBeCloseTo(1204.52, 2);
    let previous = -1;
    let suspectedAt = -1;
    for (let t = 1001; t <= 1300; t++) {
      const out = node.timer('check', t);
      const value = phiMetric(out);
      expect(value).toBeGreaterThan(previous);
      previous = value;
      if (out.some((o) => o.kind === 'event' && o.type === 'suspect')) {
        expect(suspectedAt).toBe(-1);
        suspectedAt = t;
        expect(value).toBeGreaterThanOrEqual(8);
      }
    }
    expect(suspectedAt).toBe(Math.ceil(crossing));
    expect(previous).toBeGreaterThan(20);
  });

  it('declares dead after deadTimeout of suspicion and alive on the next heartbeat', () => {
    const node = driveNode<PhiState>(phiAccrual, 'n1', ['n1', 'n2']);
    for (let t = 100; t <= 500; t += 100) node.message('n2', beat, t);
    // Window [75, 125, 100 × 4]: mean 100, sd below the 20 ms floor.
    expect(node.timer('check', 800)).toEqual([
      metric('suspicion.n2', phi(300, 100, 20)),
      event('suspect', { peer: 'n2' }),
      state('suspected', ['n2']),
      setTimer('check', 20),
    ]);
    expect(node.timer('check', 1799)).toEqual([metric('suspicion.n2', PHI_CAP), setTimer('check', 20)]);
    expect(node.timer('check', 1800)).toEqual([metric('suspicion.n2', PHI_CAP), event('dead', { peer: 'n2' }), setTimer('check', 20)]);
    const intervalsBefore = node.state.windows.get('n2')!.window.intervals.length;
    expect(node.message('n2', beat, 2000)).toEqual([
      event('heartbeat', { peer: 'n2', gapMs: 1500 }),
      event('alive', { peer: 'n2' }),
      state('suspected', []),
    ]);
    // The first heartbeat after a failure is not a sample: the pause would skew the fit.
    expect(node.state.windows.get('n2')!.window.intervals.length).toBe(intervalsBefore);
    expect(phiMetric(node.timer('check', 2010))).toBeLessThan(0.01);
  });

  it('the first real heartbeat is not a sample; start stands in for it until then', () => {
    const node = driveNode<PhiState>(phiAccrual, 'n1', ['n1', 'n2'], {}, { now: 5000, seed: 1 });
    expect(phiMetric(node.timer('check', 5100))).toBeCloseTo(Math.log10(2), 12); // bootstrap mean 100
    node.message('n2', beat, 5030);
    expect(node.state.windows.get('n2')!.window.intervals).toEqual([75, 125]);
    node.message('n2', beat, 5130);
    expect(node.state.windows.get('n2')!.window.intervals).toEqual([75, 125, 100]);
  });

  it('keeps at most `window` samples', () => {
    const node = driveNode<PhiState>(phiAccrual, 'n1', ['n1', 'n2'], { window: 10 });
    for (let t = 100; t <= 5000; t += 100) node.message('n2', beat, t);
    expect(node.state.windows.get('n2')!.window.intervals).toEqual(new Array(10).fill(100));
  });
});

describe('phi-accrual in a simulated network', () => {
  it('stays low under small jitter', () => {
    const sim = createSim(phiAccrual, ['n1', 'n2', 'n3'], {}, { seed: 11, delay: (_l, rng) => 1 + rng.int(15) });
    sim.runUntil(20_000);
    expect(sim.events('suspect')).toEqual([]);
    const values = sim.metrics().filter((m) => m.time >= 1000).map((m) => m.value);
    expect(values.length).toBe(3 * 2 * 951);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});
