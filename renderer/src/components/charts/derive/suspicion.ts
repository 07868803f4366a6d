// What failure detectors reported, arranged per monitored pair (observer → peer): the
// suspicion level over time, heartbeat arrivals, and the suspect and dead intervals.
import type { FaultPoint, MetricPoint, NodeEventPoint } from '../../../../../core/api/contract.js';
import { faultNodes } from './down-periods.js';
import { sortNodeIds } from './node-order.js';
import { upperBound } from './search.js';

export const SUSPICION_PREFIX = 'suspicion.';
export const DETECTOR_EVENTS: ReadonlySet<string> = new Set(['heartbeat', 'suspect', 'dead', 'alive']);

export type SuspicionState = 'suspect' | 'dead';

export interface SuspicionInterval {
  fromMs: number;
  toMs: number;
  state: SuspicionState;
}

export interface PairTrack {
  peer: string;
  /** [run ms, suspicion level], in time order. */
  suspicion: Array<[number, number]>;
  /** Run ms of every heartbeat the observer received from the peer. */
  heartbeats: number[];
  intervals: SuspicionInterval[];
}

/** How to read a detector's suspicion level: its unit and the line that matters. */
export interface DetectorScale {
  detector: 'phi-accrual' | 'heartbeat' | 'swim' | 'unknown';
  /** Axis name, e.g. "φ". */
  unit: string;
  threshold: number;
  /** Label of the threshold line, e.g. "threshold φ = 8". */
  thresholdLabel: string;
  /** The level above which the axis stops (the line is clipped there; tooltips show the value). */
  ceiling: number;
}

export function peerOfSuspicionMetric(name: string): string | null {
  return name.startsWith(SUSPICION_PREFIX) && name.length > SUSPICION_PREFIX.length ? name.slice(SUSPICION_PREFIX.length) : null;
}

function peerOf(data: unknown): string | null {
  const peer = (data as { peer?: unknown } | null)?.peer;
  return typeof peer === 'string' ? peer : null;
}

/** The observer's view of each peer it monitors, peers in id order. Open intervals end at `untilMs`. */
export function observerTracks(metrics: readonly MetricPoint[], events: readonly NodeEventPoint[], observer: string, untilMs: number): PairTrack[] {
  const tracks = new Map<string, PairTrack>();
  const track = (peer: string) => {
    let t = tracks.get(peer);
    if (!t) tracks.set(peer, (t = { peer, suspicion: [], heartbeats: [], intervals: [] }));
    return t;
  };
  for (const [ms, node, name, value] of metrics) {
    if (node !== observer) continue;
    const peer = peerOfSuspicionMetric(name);
    if (peer !== null) track(peer).suspicion.push([ms, value]);
  }
  const open = new Map<string, SuspicionInterval>();
  for (const [ms, node, kind, data] of events) {
    if (node !== observer || !DETECTOR_EVENTS.has(kind)) continue;
    const peer = peerOf(data);
    if (peer === null) continue;
    const t = track(peer);
    if (kind === 'heartbeat') {
      t.heartbeats.push(ms);
      continue;
    }
    const current = open.get(peer);
    const next: SuspicionState | null = kind === 'suspect' ? 'suspect' : kind === 'dead' ? 'dead' : null;
    if (current && current.state === next) continue;
    if (current) {
      current.toMs = ms;
      t.intervals.push(current);
      open.delete(peer);
    }
    if (next) open.set(peer, { fromMs: ms, toMs: untilMs, state: next });
  }
  for (const [peer, interval] of open) tracks.get(peer)!.intervals.push({ ...interval, toMs: Math.max(interval.fromMs, untilMs) });
  // Telemetry arrives in batches; keep each series in time order for searching.
  for (const t of tracks.values()) {
    t.suspicion.sort((a, b) => a[0] - b[0]);
    t.heartbeats.sort((a, b) => a - b);
  }
  return sortNodeIds(tracks.keys()).map((peer) => tracks.get(peer)!);
}

/** What the observer thought of a peer at `ms`: its latest level, state, and silence since the last heartbeat. */
export function pairAt(track: PairTrack, ms: number): { level: number | null; state: SuspicionState | null; silenceMs: number | null } {
  const i = upperBound(track.suspicion, ms, (s) => s[0]) - 1;
  const h = upperBound(track.heartbeats, ms, (t) => t) - 1;
  const interval = track.intervals.find((x) => x.fromMs <= ms && ms < x.toMs);
  return { level: i >= 0 ? track.suspicion[i][1] : null, state: interval?.state ?? null, silenceMs: h >= 0 ? ms - track.heartbeats[h] : null };
}

export interface Detection {
  /** The node that went down, and how. */
  peer: string;
  cause: string;
  faultMs: number;
  observer: string;
  detectedMs: number;
  delayMs: number;
}

const DOWN_FAULTS = new Set(['kill', 'stop', 'pause']);
const UP_FAULTS = new Set(['restart', 'resume']);
const SUSPICIONS = new Set(['suspect', 'dead']);

/**
 * For every kill, stop or pause, each observer's first suspicion of the node that went
 * down, before it came back. Sorted by fault, then by delay.
 */
export function detectionsAfterFaults(faults: readonly FaultPoint[], events: readonly NodeEventPoint[]): Detection[] {
  const found: Detection[] = [];
  const ordered = [...faults].sort((a, b) => a[0] - b[0]);
  ordered.forEach(([faultMs, kind, detail], i) => {
    if (!DOWN_FAULTS.has(kind)) return;
    for (const peer of faultNodes(detail)) {
      const back = ordered.slice(i + 1).find(([, k, d]) => UP_FAULTS.has(k) && faultNodes(d).includes(peer));
      const untilMs = back ? back[0] : Infinity;
      const seen = new Set<string>();
      for (const [ms, observer, evKind, data] of events) {
        if (ms < faultMs || ms > untilMs || observer === peer || seen.has(observer)) continue;
        if (!SUSPICIONS.has(evKind) || peerOf(data) !== peer) continue;
        seen.add(observer);
        found.push({ peer, cause: kind, faultMs, observer, detectedMs: ms, delayMs: ms - faultMs });
      }
    }
  });
  return found.sort((a, b) => a.faultMs - b.faultMs || a.delayMs - b.delayMs);
}

/** The axis and threshold for a built-in detector; `threshold` is phi-accrual's parameter. */
export function scaleForProgram(program: string | null, threshold?: number): DetectorScale | null {
  if (program === 'phi-accrual') {
    const t = threshold !== undefined && Number.isFinite(threshold) && threshold > 0 ? threshold : 8;
    return { detector: 'phi-accrual', unit: 'φ', threshold: t, thresholdLabel: `threshold φ = ${t}`, ceiling: t * 2.5 };
  }
  if (program === 'heartbeat') return { detector: 'heartbeat', unit: 'silence / timeout', threshold: 1, thresholdLabel: 'timeout', ceiling: 3 };
  if (program === 'swim') return { detector: 'swim', unit: 'suspicion (1 = dead)', threshold: 1, thresholdLabel: 'dead', ceiling: 1.1 };
  return null;
}

/**
 * For a detector we do not know: the threshold is at most the level each suspicion was
 * raised at, so take the lowest such level, rounded down to one significant digit.
 */
export function estimateScale(tracks: readonly PairTrack[]): DetectorScale {
  let lowestTrigger = Infinity;
  let highest = 0;
  for (const t of tracks) {
    for (const [, v] of t.suspicion) highest = Math.max(highest, v);
    for (const interval of t.intervals) {
      if (interval.state !== 'suspect') continue;
      const level = levelAt(t.suspicion, interval.fromMs, TRIGGER_WINDOW_MS);
      if (level !== null && level > 0) lowestTrigger = Math.min(lowestTrigger, level);
    }
  }
  const threshold = Number.isFinite(lowestTrigger) ? roundDownToOneDigit(lowestTrigger) : highest > 0 ? roundDownToOneDigit(highest) : 1;
  return { detector: 'unknown', unit: 'suspicion', threshold, thresholdLabel: `threshold ≈ ${threshold}`, ceiling: threshold * 2.5 };
}

/** A sample this long before a suspicion may have raised it; older ones are stale. */
const TRIGGER_WINDOW_MS = 250;

/** The latest sample in [ms - within, ms]. */
function levelAt(samples: ReadonlyArray<[number, number]>, ms: number, within: number): number | null {
  let level: number | null = null;
  for (const [t, v] of samples) {
    if (t > ms) break;
    level = t >= ms - within ? v : null;
  }
  return level;
}

export function roundDownToOneDigit(x: number): number {
  if (!(x > 0)) return 0;
  const magnitude = 10 ** Math.floor(Math.log10(x));
  // toPrecision drops the binary noise of 3 * 0.1.
  return Number((Math.floor(x / magnitude + 1e-9) * magnitude).toPrecision(6));
}

/** Suspicions raised while the peer was up: the detector's mistakes, and how many came during a partition. */
export function falseSuspicions(tracks: readonly PairTrack[], isDown: (node: string, ms: number) => boolean, partitioned: (ms: number) => boolean = () => false): { count: number; duringPartition: number } {
  let count = 0;
  let duringPartition = 0;
  for (const t of tracks) {
    let previous: SuspicionInterval | null = null;
    for (const interval of t.intervals) {
      // A dead interval right after a suspect one is the same suspicion going on.
      const continues = previous !== null && previous.toMs === interval.fromMs;
      if (!continues && !isDown(t.peer, interval.fromMs)) {
        count++;
        if (partitioned(interval.fromMs)) duringPartition++;
      }
      previous = interval;
    }
  }
  return { count, duringPartition };
}
