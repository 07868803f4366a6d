// How a sweep is named in lists and headers.
import type { ResultOf } from '../../../../core/api/contract.js';
import { formatValue } from './sweep-series';

export type SweepRow = ResultOf<'sweeps.list'>[number];

/** "network.loss: 0, 0.05, 0.1 × 3 repeats". */
export function describeAxes(sweep: Pick<SweepRow, 'axes' | 'repeat'>): string {
  const axes = sweep.axes.map((a) => `${a.path}: ${a.values.map(formatValue).join(', ')}`).join(' · ');
  return `${axes}${sweep.repeat > 1 ? ` × ${sweep.repeat} repeats` : ''}`;
}

/** "4 of 6 runs" while going or cut short, "6 runs" when all are there. */
export function describeRunCount(sweep: Pick<SweepRow, 'runs' | 'plannedRuns'>): string {
  return sweep.runs === sweep.plannedRuns ? `${sweep.runs} run${sweep.runs === 1 ? '' : 's'}` : `${sweep.runs} of ${sweep.plannedRuns} runs`;
}
