// 100 built-in flood nodes sending as fast as the switch takes their messages, for 60 s:
// the rate 100 nodes hold on this machine, whether the engine's memory stays flat (its RSS
// sampled every second), and whether the record agrees with what the switch counted: every
// row of `messages` has exactly one fate, and summary.messages = { sent (originals),
// duplicated (copies), one counter per fate }, so the fates add up to sent + duplicated,
// which is the number of rows.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { newRun, tempDbPath } from './support.js';
import { FATE_COUNTS } from '../core/engine/message-counts.js';

/** Each fate's counter in the summary: the engine's own definition (core/engine/message-counts.ts). */
const FATE_KEYS: Record<string, string> = FATE_COUNTS;

export interface Sustained {
  nodes: number;
  up: number;
  seconds: number;
  /** Originals sent per second over the whole run after bring-up, and over its second half. */
  msgsPerSec: number;
  msgsPerSecSecondHalf: number;
  rssMb: { start: number; max: number; end: number; slopeMbPerMinSecondHalf: number; samples: number };
  summary: Record<string, number>;
  record: Record<string, number>;
  /** Each mismatch between the summary and the record, in words; empty when they agree. */
  mismatches: string[];
  warnings: string[];
  problems: string[];
  status: string;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : 0;
}

export async function sustainedTraffic(nodes = 100, seconds = 60): Promise<Sustained> {
  const dbPath = tempDbPath();
  const run = newRun(
    {
      name: `bench-sustained-${nodes}`,
      seed: 1,
      duration: `${seconds}s`,
      nodes: { count: nodes, program: 'flood', initTimeout: '60s', params: { count: 1_000_000_000, batch: 64, payloadBytes: 16, startDelay: 0 } },
    },
    dbPath,
  );
  const samples: Array<{ s: number; mb: number }> = [];
  const t0 = performance.now();
  const sample = () => samples.push({ s: (performance.now() - t0) / 1000, mb: process.memoryUsage().rss / 2 ** 20 });
  sample();
  const sampler = setInterval(sample, 1000);
  let upAtMs = 0;
  let up = 0;
  run.on('nodesUp', (e) => {
    upAtMs = e.elapsedMs;
    up = e.up;
  });
  let summary;
  try {
    summary = await run.execute();
  } finally {
    clearInterval(sampler);
    sample();
  }
  const db = new Database(dbPath, { readonly: true });
  const record: Record<string, number> = { sent: 0, duplicated: 0, rows: 0 };
  for (const [fate, n] of db.prepare('SELECT fate, COUNT(*) FROM messages WHERE run_id = ? GROUP BY fate').raw().all(summary.runId) as Array<[string, number]>) {
    record[FATE_KEYS[fate] ?? `unknown fate '${fate}'`] = n;
    record.rows += n;
  }
  record.duplicated = db.prepare('SELECT COUNT(*) FROM messages WHERE run_id = ? AND dup_of IS NOT NULL').pluck().get(summary.runId) as number;
  record.sent = record.rows - record.duplicated;
  const halfUs = ((upAtMs + summary.durationMs) / 2) * 1000;
  const secondHalf = db.prepare('SELECT COUNT(*) FROM messages WHERE run_id = ? AND dup_of IS NULL AND t_send_us >= ?').pluck().get(summary.runId, halfUs) as number;
  db.close();
  rmSync(path.dirname(dbPath), { recursive: true, force: true });

  const counted = summary.messages as unknown as Record<string, number>;
  const mismatches: string[] = [];
  for (const key of ['sent', 'duplicated', ...Object.values(FATE_KEYS)]) {
    if ((counted[key] ?? 0) !== (record[key] ?? 0)) mismatches.push(`${key}: summary ${counted[key] ?? 'missing'}, record ${record[key] ?? 0}`);
  }
  for (const key of Object.keys(record)) if (key.startsWith('unknown')) mismatches.push(`${key}: ${record[key]} rows`);
  const fates = Object.values(FATE_KEYS).reduce((sum, key) => sum + (counted[key] ?? 0), 0);
  if (fates !== (counted.sent ?? 0) + (counted.duplicated ?? 0)) mismatches.push(`summary fates add up to ${fates}, not sent + duplicated = ${(counted.sent ?? 0) + (counted.duplicated ?? 0)}`);

  const half = samples.filter((s) => s.s >= samples[samples.length - 1].s / 2);
  const activeSec = (summary.durationMs - upAtMs) / 1000;
  return {
    nodes,
    up,
    seconds,
    msgsPerSec: record.sent / activeSec,
    msgsPerSecSecondHalf: secondHalf / ((summary.durationMs * 1000 - halfUs) / 1e6),
    rssMb: {
      start: samples[0].mb,
      max: Math.max(...samples.map((s) => s.mb)),
      end: samples[samples.length - 1].mb,
      slopeMbPerMinSecondHalf: slope(half.map((s) => s.s), half.map((s) => s.mb)) * 60,
      samples: samples.length,
    },
    summary: Object.fromEntries(['sent', 'duplicated', ...Object.values(FATE_KEYS)].map((k) => [k, counted[k] ?? 0])),
    record,
    mismatches,
    warnings: (summary as { warnings?: string[] }).warnings ?? [],
    problems: summary.problems,
    status: summary.status,
  };
}
