// When each node was down (killed, stopped or paused) and when a partition or cut was
// in force, reconstructed from the recorded faults and node events.
import type { RecordedEvent, RecordedFault } from './recorded.js';

export interface DownPeriod {
  node: string;
  /** `starting`: from the run's start until the node first answered init. */
  cause: 'kill' | 'stop' | 'pause' | 'crash' | 'starting';
  fromUs: number;
  toUs: number;
}

const DOWN_FAULTS = new Set(['kill', 'stop', 'pause']);

/** Periods in which nodes were down; open periods end at `endUs`. */
export function downPeriods(faults: RecordedFault[], events: RecordedEvent[], endUs: number): DownPeriod[] {
  const open = new Map<string, DownPeriod>();
  const periods: DownPeriod[] = [];
  const close = (node: string, atUs: number) => {
    const period = open.get(node);
    if (!period) return;
    period.toUs = atUs;
    periods.push(period);
    open.delete(node);
  };
  const timeline: Array<{ tUs: number; node: string; change: 'down' | 'up'; cause?: DownPeriod['cause'] }> = [];
  for (const f of faults) {
    const nodes: string[] = f.detail?.nodes ?? [];
    const skipped: string[] = f.detail?.skipped ?? [];
    for (const node of nodes) {
      if (skipped.includes(node)) continue;
      if (DOWN_FAULTS.has(f.kind)) timeline.push({ tUs: f.tUs, node, change: 'down', cause: f.kind as DownPeriod['cause'] });
      if (f.kind === 'resume') timeline.push({ tUs: f.tUs, node, change: 'up' });
    }
  }
  // Until a node first came up it could not answer anyone: suspecting it then is no mistake.
  const cameUp = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'up' || cameUp.has(e.node)) continue;
    cameUp.add(e.node);
    periods.push({ node: e.node, cause: 'starting', fromUs: -Infinity, toUs: e.tUs });
  }
  for (const e of events) {
    if (e.kind === 'crash') timeline.push({ tUs: e.tUs, node: e.node, change: 'down', cause: 'crash' });
    if (e.kind === 'up') timeline.push({ tUs: e.tUs, node: e.node, change: 'up' });
  }
  timeline.sort((a, b) => a.tUs - b.tUs);
  for (const step of timeline) {
    if (step.change === 'down' && !open.has(step.node)) open.set(step.node, { node: step.node, cause: step.cause!, fromUs: step.tUs, toUs: endUs });
    else if (step.change === 'up') close(step.node, step.tUs);
  }
  for (const node of [...open.keys()]) close(node, endUs);
  return periods.sort((a, b) => a.fromUs - b.fromUs);
}

export function isDown(periods: DownPeriod[], node: string, tUs: number): boolean {
  return periods.some((p) => p.node === node && p.fromUs <= tUs && tUs < p.toUs);
}

/** Intervals in which some partition or cut was in force. */
export function partitionPeriods(faults: RecordedFault[], endUs: number): Array<{ fromUs: number; toUs: number }> {
  const periods: Array<{ fromUs: number; toUs: number }> = [];
  let since: number | null = null;
  for (const f of [...faults].sort((a, b) => a.tUs - b.tUs)) {
    if ((f.kind === 'partition' || f.kind === 'partition-pattern' || f.kind === 'cut') && since === null) since = f.tUs;
    if (f.kind === 'heal' && since !== null) {
      periods.push({ fromUs: since, toUs: f.tUs });
      since = null;
    }
  }
  if (since !== null) periods.push({ fromUs: since, toUs: endUs });
  return periods;
}
