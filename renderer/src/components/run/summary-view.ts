// A run summary's checks turned into lines a person reads: the check's numbers, then a
// few examples of what went wrong.
import type { RunSummary } from '../../../../core/engine/run.js';

export type Summary = RunSummary;
export type Spread = { p50: number; p99: number; max: number } | null | undefined;

export interface CheckLine {
  name: string;
  valid: boolean;
  /** A check that gave up (a search out of time) is neither valid nor invalid. */
  unknown: boolean;
  /** The check's own result, for the findings drawn under it. */
  result: Record<string, unknown>;
  /** "deliveries 120 · duplicates 0 · …" */
  numbers: string;
  examples: string[];
  /** The operations each example names (its `opId` or `opIds`), to link them to the replay. */
  exampleOps: number[][];
}

const EXAMPLES = 3;
/** Drawn as a timeline or as cycles under the check (RunSummary), not listed as examples. */
const FINDINGS_DRAWN = new Set(['failure', 'anomalies']);

/** camelCase keys to words: "outOfOrder" → "out of order". */
export function words(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
}

export function checkLines(checks: Summary['checks']): CheckLine[] {
  return Object.entries(checks).map(([name, result]) => {
    const numbers: string[] = [];
    const examples: string[] = [];
    const exampleOps: number[][] = [];
    for (const [key, value] of Object.entries(result)) {
      if (key === 'valid' || key === 'verdict' || FINDINGS_DRAWN.has(key)) continue;
      if (Array.isArray(value)) {
        for (const item of value.slice(0, EXAMPLES)) {
          examples.push(`${words(key)}: ${brief(item)}`);
          exampleOps.push(opIdsOf(item));
        }
        if (value.length > EXAMPLES) {
          examples.push(`…and ${value.length - EXAMPLES} more ${words(key)}`);
          exampleOps.push([]);
        }
      } else if (value !== null && typeof value === 'object') numbers.push(`${words(key)} ${brief(value)}`);
      else numbers.push(`${words(key)} ${String(value)}`);
    }
    return { name, valid: result.valid, unknown: result.verdict === 'unknown', result, numbers: numbers.join(' · '), examples, exampleOps };
  });
}

/** Checks name the operations behind a finding as `opId` or `opIds` (rows of `operations`). */
function opIdsOf(item: unknown): number[] {
  if (item === null || typeof item !== 'object') return [];
  const { opId, opIds } = item as { opId?: unknown; opIds?: unknown };
  const ids = [...(typeof opId === 'number' ? [opId] : []), ...(Array.isArray(opIds) ? opIds.filter((x): x is number => typeof x === 'number') : [])];
  return [...new Set(ids)];
}

function brief(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

export function spreadText(s: Spread, unit = 'ms'): string {
  if (!s) return '–';
  const f = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toString() : (Math.round(x * 10) / 10).toString());
  return `p50 ${f(s.p50)} · p99 ${f(s.p99)} · max ${f(s.max)} ${unit}`;
}
