import { openStore } from '../engine/open-store.js';
import { listRuns } from '../store/queries.js';
import { notReached, reached } from '../engine/message-counts.js';

export function runsCommand(options: { db: string; json?: boolean }): number {
  const db = openStore(options.db, { forReading: true });
  try {
    const runs = listRuns(db);
    if (options.json) {
      process.stdout.write(JSON.stringify(runs) + '\n');
      return 0;
    }
    if (runs.length === 0) {
      process.stdout.write(`no runs recorded in ${options.db} yet; start one with: distlab run FILE\n`);
      return 0;
    }
    const rows = runs.map((r) => [
      String(r.id),
      r.label ? `${r.name} [${r.label}]` : r.name,
      r.status,
      new Date(r.startedAtMs).toISOString().replace('T', ' ').slice(0, 19),
      r.durationMs === null ? '' : `${(r.durationMs / 1000).toFixed(1)}s${r.simulated ? ' simulated' : ''}`,
      r.messages ? String(r.messages.sent) : '',
      r.messages ? String(r.messages.duplicated ?? 0) : '',
      r.messages ? String(reached(r.messages)) : '',
      r.messages ? String(notReached(r.messages)) : '',
      r.checks ? (r.checks.failed === 0 ? `${r.checks.passed}/${r.checks.total} valid` : `${r.checks.failed} INVALID`) : '',
      r.warnings.length ? `${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}` : '',
      r.originRunId === null ? '' : `#${r.originRunId}`,
    ]);
    const header = ['id', 'name', 'status', 'started', 'duration', 'sent', 'copies', 'delivered', 'not delivered', 'checks', 'warnings', 'from'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    process.stdout.write([line(header), ...rows.map(line)].join('\n') + '\n');
    return 0;
  } finally {
    db.close();
  }
}
