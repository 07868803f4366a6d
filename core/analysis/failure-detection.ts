// How well the failure detectors did: how long they took to suspect a node that went
// down, and how often (and how long) they wrongly suspected a live one.
import { downPeriods, isDown, partitionPeriods } from './down-periods.js';
import { msFromUs, spread, type RecordedEvent, type RecordedFault, type Spread } from './recorded.js';

export interface Detection {
  node: string;
  cause: string;
  atMs: number;
  /** Time from the fault to the first and to the last detector's suspicion, in ms. */
  firstMs: number | null;
  lastMs: number | null;
  detectors: number;
  of: number;
}

export interface DetectionMeasurements {
  detections: Detection[];
  detectionMs: { first: Spread | null; last: Spread | null };
  mistakes: { count: number; duringPartition: number; durationMs: Spread | null };
}

const SUSPECTS = new Set(['suspect', 'dead']);

/** `events` holds the detectors' suspect, dead and alive events and the nodes' up and crash events. */
export function measureDetection(faults: RecordedFault[], events: RecordedEvent[], nodes: string[], endUs: number): DetectionMeasurements {
  const suspicions = events.filter((e) => SUSPECTS.has(e.kind) && typeof e.data?.peer === 'string');
  const down = downPeriods(faults, events, endUs);

  const detections: Detection[] = down.filter((p) => p.cause !== 'starting').map((period) => {
      const observers = nodes.filter((n) => n !== period.node && !isDown(down, n, period.fromUs));
      const firstBy = new Map<string, number>();
      for (const s of suspicions) {
        if (s.data.peer !== period.node || s.tUs < period.fromUs || s.tUs > period.toUs || firstBy.has(s.node)) continue;
        if (observers.includes(s.node)) firstBy.set(s.node, s.tUs - period.fromUs);
      }
      const delays = [...firstBy.values()];
      return {
        node: period.node,
        cause: period.cause,
        atMs: msFromUs(period.fromUs),
        firstMs: delays.length ? msFromUs(Math.min(...delays)) : null,
        lastMs: delays.length === observers.length && delays.length > 0 ? msFromUs(Math.max(...delays)) : null,
        detectors: delays.length,
        of: observers.length,
      };
    });

  const partitions = partitionPeriods(faults, endUs);
  const mistakes: number[] = [];
  let duringPartition = 0;
  const suspectedSince = new Map<string, number>();
  for (const e of [...events].sort((a, b) => a.tUs - b.tUs)) {
    const peer = e.data?.peer;
    if (typeof peer !== 'string') continue;
    const pair = `${e.node}>${peer}`;
    if (e.kind === 'suspect' && !suspectedSince.has(pair) && !isDown(down, peer, e.tUs) && !isDown(down, e.node, e.tUs)) {
      suspectedSince.set(pair, e.tUs);
      if (partitions.some((p) => p.fromUs <= e.tUs && e.tUs <= p.toUs)) duringPartition++;
    } else if (e.kind === 'alive' && suspectedSince.has(pair)) {
      mistakes.push(e.tUs - suspectedSince.get(pair)!);
      suspectedSince.delete(pair);
    }
  }
  for (const since of suspectedSince.values()) mistakes.push(endUs - since);

  return {
    detections,
    detectionMs: {
      first: spread(detections.flatMap((d) => (d.firstMs === null ? [] : [d.firstMs]))),
      last: spread(detections.flatMap((d) => (d.lastMs === null ? [] : [d.lastMs]))),
    },
    mistakes: { count: mistakes.length, duringPartition, durationMs: spread(mistakes.map(msFromUs)) },
  };
}
