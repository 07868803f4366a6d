// Where each run's time axis starts in a comparison: at the run's start, or at the first
// event of a chosen kind in it (its first kill, say), so the same fault lines up across runs.
import type { RunSeries } from '../../../../core/analysis/compare-series.js';

export interface AlignChoice {
  key: string;
  label: string;
}

const LABELS: Record<string, string> = {
  kill: 'first kill',
  stop: 'first stop',
  pause: 'first pause',
  restart: 'first restart',
  resume: 'first resume',
  partition: 'first partition',
  cut: 'first cut link',
  heal: 'first heal',
  'change-link': 'first link change',
  crash: 'first crash',
  suspect: 'first suspicion',
  election: 'first election',
  'leader-change': 'first change of leader',
};

/** "start", then the kinds at least one run has, in the order of LABELS. */
export function alignChoices(series: readonly RunSeries[]): AlignChoice[] {
  const present = new Set(series.flatMap((s) => Object.keys(s.firsts)));
  return [{ key: 'start', label: 'each run’s start' }, ...Object.keys(LABELS).filter((k) => present.has(k)).map((key) => ({ key, label: LABELS[key] }))];
}

/** Each run's offset in ms (subtracted from its times); a run without the event stays at its start. */
export function alignOffsets(series: readonly RunSeries[], key: string): { offsets: number[]; missing: number[] } {
  const offsets: number[] = [];
  const missing: number[] = [];
  for (const s of series) {
    const at = key === 'start' ? 0 : s.firsts[key];
    if (at === undefined) missing.push(s.runId);
    offsets.push(at ?? 0);
  }
  return { offsets, missing };
}

export function alignLabel(key: string): string {
  return key === 'start' ? 'run start' : LABELS[key] ?? key;
}
