import { openStore } from '../engine/open-store.js';
import { compareRuns, type ComparedRun } from '../analysis/compare.js';
import { UserError } from './user-error.js';
import { compareIdsProblem } from '../analysis/compare-ids.js';
import { getRun } from '../store/queries.js';

export function compareCommand(runIdTexts: string[], options: { db: string; json?: boolean }): number {
  if (runIdTexts.length < 2) throw new UserError('compare: give at least two run ids (see distlab runs)');
  const ids = runIdTexts.map((text) => {
    if (!/^\d+$/.test(text)) throw new UserError(`compare: expected run numbers, got "${text}"`);
    return Number(text);
  });
  const problem = compareIdsProblem(ids);
  if (problem) throw new UserError(`compare: ${problem}`);
  const db = openStore(options.db, { forReading: true });
  try {
    for (const id of ids) getRun(db, id);
    const runs = compareRuns(db, ids);
    process.stdout.write(options.json ? JSON.stringify(runs) + '\n' : formatTable(runs));
    return 0;
  } finally {
    db.close();
  }
}

function formatTable(runs: ComparedRun[]): string {
  const rows: Array<[string, (r: ComparedRun) => string]> = [
    ['run', (r) => `${r.runId} ${r.name}`],
    ...labelRows(runs),
    ['status', (r) => r.status],
    ['latency p50/p95/p99 ms', (r) => (r.latencyMs ? `${r.latencyMs.p50} / ${r.latencyMs.p95} / ${r.latencyMs.p99}` : '—')],
    ['ops ok/fail/timeout', (r) => (r.ops && r.ops.total ? `${r.ops.ok} / ${r.ops.fail} / ${r.ops.timeout}` : '—')],
    ['msgs per operation', (r) => show(r.measurements.messagesPerOperation)],
    ['msgs per node per s', (r) => show(r.measurements.messagesPerNodePerSec)],
    ['detection first p50 ms', (r) => show(r.measurements.detection?.detectionMs.first?.p50)],
    ['detection last p50 ms', (r) => show(r.measurements.detection?.detectionMs.last?.p50)],
    ['mistakes (count, p50 ms)', (r) => (r.measurements.detection ? `${r.measurements.detection.mistakes.count}, ${show(r.measurements.detection.mistakes.durationMs?.p50)}` : '—')],
    ['elections / split votes', (r) => (r.measurements.elections ? `${r.measurements.elections.elections} / ${r.measurements.elections.splitVotes}` : '—')],
    ['election time p50/max ms', (r) => (r.measurements.elections?.electionMs ? `${r.measurements.elections.electionMs.p50} / ${r.measurements.elections.electionMs.max}` : '—')],
    ['lag entries p50/p99/max', (r) => lag(r, 'entries')],
    ['lag ms p50/p99/max', (r) => lag(r, 'ms')],
    ['keys busiest/mean, sd', (r) => (r.measurements.sharding?.maxOverMean != null ? `${r.measurements.sharding.maxOverMean}, ${r.measurements.sharding.stdDev}` : '—')],
    ['keys moved / ideal K/N', (r) => keysMoved(r)],
    ...throttleRows(runs),
    ['checks', (r) => Object.entries(r.checks).map(([name, c]) => `${name} ${c.valid ? 'ok' : 'INVALID'}`).join(', ') || '—'],
  ];
  const cells = rows.map(([title, cell]) => [title, ...runs.map(cell)]);
  const widths = runs.map((_, i) => Math.max(...cells.map((row) => row[i + 1].length)));
  const titleWidth = Math.max(...cells.map((row) => row[0].length));
  return cells.map((row) => [row[0].padEnd(titleWidth), ...row.slice(1).map((c, i) => c.padEnd(widths[i]))].join('  ').trimEnd()).join('\n') + '\n';
}

/** Rate-limited runs only: what the limiter let through, and how fairly. */
function throttleRows(runs: ComparedRun[]): Array<[string, (r: ComparedRun) => string]> {
  if (!runs.some((r) => r.measurements.throttle)) return [];
  const t = (r: ComparedRun) => r.measurements.throttle;
  return [
    ['accepted/rejected/tried per s', (r) => (t(r) ? `${t(r)!.acceptedPerSec} / ${t(r)!.rejectedPerSec} / ${t(r)!.offeredPerSec}` : '—')],
    ['retries, fairness (Jain)', (r) => (t(r) ? `${t(r)!.retries}, ${show(t(r)!.fairness)}` : '—')],
    ['overshoot while partitioned', (r) => show(t(r)?.overshoot)],
  ];
}

function labelRows(runs: ComparedRun[]): Array<[string, (r: ComparedRun) => string]> {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.label)))];
  return keys.map((key) => [key, (r: ComparedRun) => show(r.label[key])]);
}

/** Per membership change, the keys moved against the ideal, e.g. "join n6: 40 of 174 / 29". */
function keysMoved(r: ComparedRun): string {
  const changes = r.measurements.sharding?.changes ?? [];
  if (changes.length === 0) return '—';
  return changes.map((c) => `${c.change} ${c.node}: ${c.moved} of ${c.keys} / ${c.ideal}`).join('; ');
}

/** Worst follower's lag: p50 of the p50s is not meaningful, so show the maxima across followers. */
function lag(r: ComparedRun, unit: 'entries' | 'ms'): string {
  const followers = Object.values(r.measurements.replicationLag ?? {}).map((f) => f[unit]).filter((s) => s !== null);
  if (followers.length === 0) return '—';
  const worst = (k: 'p50' | 'p99' | 'max') => Math.max(...followers.map((s) => s![k]));
  return `${worst('p50')} / ${worst('p99')} / ${worst('max')}`;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
