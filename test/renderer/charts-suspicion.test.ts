import { describe, expect, it } from 'vitest';
import type { FaultPoint, MetricPoint, NodeEventPoint } from '../../core/api/contract.js';
import { detectionsAfterFaults, estimateScale, observerTracks, pairAt, roundDownToOneDigit, scaleForProgram } from '../../renderer/src/components/charts/derive/suspicion.js';

const events: NodeEventPoint[] = [
  [100, 'n1', 'heartbeat', { peer: 'n2', gapMs: 100 }],
  [110, 'n1', 'heartbeat', { peer: 'n3', gapMs: 100 }],
  [200, 'n1', 'heartbeat', { peer: 'n2', gapMs: 100 }],
  [900, 'n1', 'suspect', { peer: 'n3' }],
  [950, 'n2', 'suspect', { peer: 'n3' }],
  [1500, 'n1', 'dead', { peer: 'n3' }],
  [2000, 'n1', 'alive', { peer: 'n3' }],
  [2100, 'n1', 'suspect', { peer: 'n2' }],
  [2100, 'n1', 'suspect', { peer: 'n2' }],
  [2200, 'n3', 'role', { role: 'leader', term: 1 }],
];
const metrics: MetricPoint[] = [
  [800, 'n1', 'suspicion.n3', 7.5],
  [900, 'n1', 'suspicion.n3', 8.4],
  [900, 'n1', 'suspicion.n2', 0.1],
  [900, 'n2', 'suspicion.n3', 9.1],
  [900, 'n1', 'applied_index', 4],
];

describe('failure detector tracks', () => {
  it('splits one observer’s view per peer, with suspect and dead intervals', () => {
    const [n2, n3] = observerTracks(metrics, events, 'n1', 3000);
    expect(n2.peer).toBe('n2');
    expect(n2.heartbeats).toEqual([100, 200]);
    expect(n2.suspicion).toEqual([[900, 0.1]]);
    // A repeated suspect does not start a second interval; an open one runs to the end.
    expect(n2.intervals).toEqual([{ fromMs: 2100, toMs: 3000, state: 'suspect' }]);
    expect(n3.heartbeats).toEqual([110]);
    expect(n3.intervals).toEqual([
      { fromMs: 900, toMs: 1500, state: 'suspect' },
      { fromMs: 1500, toMs: 2000, state: 'dead' },
    ]);
  });

  it('says what the observer thought of a peer at a moment', () => {
    const [, n3] = observerTracks(metrics, events, 'n1', 3000);
    expect(pairAt(n3, 1000)).toEqual({ level: 8.4, state: 'suspect', silenceMs: 890 });
    expect(pairAt(n3, 1600)).toMatchObject({ state: 'dead' });
    expect(pairAt(n3, 50)).toEqual({ level: null, state: null, silenceMs: null });
  });

  it('measures detection from the first suspicion after a pause, per observer', () => {
    const faults: FaultPoint[] = [
      [600, 'pause', { nodes: ['n3'], signal: 'SIGSTOP' }, 'schedule'],
      [1800, 'resume', { nodes: ['n3'] }, 'schedule'],
    ];
    expect(detectionsAfterFaults(faults, events)).toEqual([
      { peer: 'n3', cause: 'pause', faultMs: 600, observer: 'n1', detectedMs: 900, delayMs: 300 },
      { peer: 'n3', cause: 'pause', faultMs: 600, observer: 'n2', detectedMs: 950, delayMs: 350 },
    ]);
    // Suspicions after the node came back are not detections of that pause.
    expect(detectionsAfterFaults([[2050, 'kill', { nodes: ['n3'] }, 'live']], events)).toEqual([]);
    // A fault that skipped its node detected nothing.
    expect(detectionsAfterFaults([[600, 'kill', { nodes: ['n3'], skipped: ['n3'] }, 'live']], events)).toEqual([]);
  });

  it('knows the built-in detectors’ scales', () => {
    expect(scaleForProgram('phi-accrual', 5)).toMatchObject({ unit: 'φ', threshold: 5, thresholdLabel: 'threshold φ = 5' });
    expect(scaleForProgram('phi-accrual')).toMatchObject({ threshold: 8 });
    expect(scaleForProgram('heartbeat')).toMatchObject({ threshold: 1 });
    expect(scaleForProgram('swim')).toMatchObject({ threshold: 1, thresholdLabel: 'dead' });
    expect(scaleForProgram('my-detector')).toBeNull();
  });

  it('estimates the threshold of an unknown detector from the levels suspicions were raised at', () => {
    const tracks = observerTracks(metrics, events, 'n1', 3000);
    expect(estimateScale(tracks)).toMatchObject({ detector: 'unknown', threshold: 8 });
    expect(roundDownToOneDigit(0.34)).toBe(0.3);
    expect(roundDownToOneDigit(1.02)).toBe(1);
    expect(roundDownToOneDigit(23)).toBe(20);
  });
});
