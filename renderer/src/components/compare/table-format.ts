// How the compare table shows its cells: numbers as a person reads them, the difference from
// the first run with a sign, and whether that difference is for the better.
import type { CompareRow } from '../../../../core/analysis/compare-table.js';

export function formatCell(value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  return value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 100 ? 1 : 2 });
}

export function formatDiff(percent: number | null): string {
  if (percent === null) return '';
  if (percent === 0) return '±0%';
  return `${percent > 0 ? '+' : '−'}${Math.abs(percent).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
}

/** 'better', 'worse' or '' for a difference from the first run, by the row's direction. */
export function diffTone(row: CompareRow, percent: number | null): 'better' | 'worse' | '' {
  if (percent === null || percent === 0 || !row.better) return '';
  return (percent < 0) === (row.better === 'lower') ? 'better' : 'worse';
}

export const GROUP_TITLES: Record<CompareRow['group'], string> = {
  setup: 'What differs',
  latency: 'Client operations',
  cost: 'Messages',
  consistency: 'Availability and consistency',
  sharding: 'Sharding',
  detection: 'Failure detection',
  elections: 'Elections',
  lag: 'Replication lag',
  throttle: 'Rate limiting',
  checks: 'Checks',
};
