// The record is exact under load and bad input: real node processes, then the database
// read back and compared with what the run said it did.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cliPath, count, repoRoot, runExperiment, tempDbPath, tempDir } from './helpers.js';
import { messageCounts } from '../../core/store/queries.js';
import { FATE_COUNTS, fatesTotal } from '../../core/engine/message-counts.js';
import type { MessageFate } from '../../core/store/schema.js';

const misbehaving = path.join(repoRoot, 'test/fixtures/misbehaving-node.mjs');
const external = (mode: string, extra: Record<string, unknown> = {}) => ({
  name: `misbehaving-${mode}`,
  seed: 5,
  duration: '3s',
  nodes: { count: 2, command: [process.execPath, misbehaving, mode], initTimeout: '5s' },
  ...extra,
});

describe('fates and counts add up', () => {
  it('agree between the summary, the check and the database under loss, duplication, corruption and faults', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'ping-faulty',
      seed: 11,
      duration: '6s',
      nodes: { count: 8, program: 'ping', params: { interval: 20 } },
      network: { latency: { distribution: 'normal', mean: '3ms', jitter: '2ms' }, loss: 0.05, duplicate: 0.05, corrupt: 0.02, reorder: 0.05 },
      faults: [
        { at: '3s', partition: 'majority' },
        { at: '4s', heal: true },
        { at: '4500ms', kill: 'n3' },
      ],
    });
    const m = summary.messages;
    expect(summary.checks['record-consistent']).toMatchObject({ valid: true, mismatches: [] });
    expect(messageCounts(db, run.runId)).toEqual(m);
    expect(count(db, 'select count(*) from messages where run_id = ?', run.runId)).toBe(m.sent + m.duplicated);
    expect(count(db, 'select count(*) from messages where run_id = ? and dup_of is not null', run.runId)).toBe(m.duplicated);
    expect(fatesTotal(m)).toBe(m.sent + m.duplicated);
    // A corrupted delivery is one fate, not also a delivery.
    expect(count(db, "select count(*) from messages where run_id = ? and fate = 'delivered' and corrupted = 1", run.runId)).toBe(0);
    const byFate = db.prepare('select fate, count(*) as n from messages where run_id = ? group by fate').all(run.runId) as Array<{ fate: MessageFate; n: number }>;
    for (const { fate, n } of byFate) expect(m[FATE_COUNTS[fate]]).toBe(n);
    for (const key of ['duplicated', 'corrupted', 'lost', 'partitioned', 'undeliverable'] as const) expect(m[key], key).toBeGreaterThan(0);
    // Undeliverable means a dead or unknown destination: here only the killed n3.
    expect(count(db, "select count(*) from messages where run_id = ? and fate = 'undeliverable' and dest <> 'n3'", run.runId)).toBe(0);
  });
});

describe('an overloaded machine', () => {
  it('keeps the fault schedule and the duration, and says it was overloaded', async () => {
    const started = Date.now();
    const { summary, db, run } = await runExperiment({
      name: 'ping-overload',
      seed: 3,
      duration: '7s',
      nodes: { count: 30, program: 'ping', params: { interval: 15, timeout: 500 } },
      faults: [
        { at: '4s', partition: 'majority' },
        { at: '5s', kill: 'n2' },
        { at: '6s', heal: true },
      ],
    });
    const wallMs = Date.now() - started;
    expect(summary.status).toBe('completed');
    const faults = db.prepare('select t_us, kind from faults where run_id = ? order by rowid').all(run.runId) as Array<{ t_us: number; kind: string }>;
    expect(faults.map((f) => f.kind)).toEqual(['partition-pattern', 'kill', 'heal']);
    [4000, 5000, 6000].forEach((due, i) => {
      expect(faults[i].t_us / 1000).toBeGreaterThanOrEqual(due);
      expect(faults[i].t_us / 1000).toBeLessThan(due + 300);
    });
    // The run's traffic ends at its duration (or as soon as the nodes are up, if bring-up
    // took longer); stopping the nodes and writing the record is bounded.
    const upMs = (db.prepare("select t_us from events where run_id = ? and kind = 'nodes-up'").pluck().get(run.runId) as number) / 1000;
    const endMs = Math.max(7000, upMs);
    expect(summary.durationMs).toBeLessThan(endMs + 1500);
    expect(count(db, 'select count(*) from messages where run_id = ? and t_send_us > ? and fate <> ?', run.runId, (endMs + 1200) * 1000, 'in-flight-at-end')).toBe(0);
    // Spawning 30 nodes comes before t = 0 is reached by the schedule; the rest is bounded.
    expect(wallMs).toBeLessThan(endMs + 12_000);
    // The machine could not keep up, and the run says so.
    expect(summary.overload?.periods.length).toBeGreaterThan(0);
    expect(summary.warnings.some((w) => w.startsWith('overloaded for'))).toBe(true);
    expect(count(db, "select count(*) from events where run_id = ? and kind = 'overloaded'", run.runId)).toBe(summary.overload!.periods.length);
    expect(count(db, "select count(*) from metrics where run_id = ? and node = 'c0' and name = 'cpu_busy'", run.runId)).toBeGreaterThan(4);
    expect(summary.checks['record-consistent'].valid).toBe(true);
    expect(count(db, "select count(*) from messages where run_id = ? and fate = 'undeliverable' and dest <> 'n2'", run.runId)).toBe(0);
  }, 60_000);
});

describe('a node that stops reading its input', () => {
  it('costs bounded memory: its messages overflow, only written ones count as delivered', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'deaf.json');
    writeFileSync(file, JSON.stringify(external('deaf', { duration: '5s' })));
    const db = tempDbPath();
    const child = spawn(process.execPath, [cliPath, 'run', file, '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    let peakKb = 0;
    const sampler = setInterval(() => {
      try {
        const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (rss) peakKb = Math.max(peakKb, Number(rss[1]));
      } catch {
        // exited
      }
    }, 100);
    const code = await new Promise((resolve) => child.on('exit', resolve));
    clearInterval(sampler);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').pop()!);
    // 900 KB messages into a node that never reads: the engine holds at most its inbound
    // limit (8 MiB) for it, and stays far below the 1.8 GB this used to reach.
    expect(peakKb / 1024).toBeLessThan(300);
    expect(summary.messages.overflow).toBeGreaterThan(0);
    expect(summary.messages.delivered).toBe(0);
    expect(summary.checks['record-consistent'].valid).toBe(true);
    const { default: Database } = await import('better-sqlite3');
    const read = new Database(db, { readonly: true });
    const full = read.prepare("select node, detail_json from events where kind = 'inbox-full'").all() as Array<{ node: string; detail_json: string }>;
    expect(full.map((e) => e.node)).toEqual(['n2']);
    expect(JSON.parse(full[0].detail_json).limitBytes).toBe(8 * 1024 * 1024);
    read.close();
  }, 40_000);
});

describe('bad output from a node', () => {
  it('rate-limits a flood of junk lines to a few rows and one count a second', async () => {
    const { summary, db, run } = await runExperiment(external('junk'));
    expect(summary.status).toBe('completed');
    const suppressed = db.prepare("select detail_json from events where run_id = ? and node = 'n1' and kind = 'protocol-error' and json_extract(detail_json, '$.what') = 'bad lines suppressed'").pluck().all(run.runId) as string[];
    const counted = suppressed.reduce((n, d) => n + JSON.parse(d).count, 0);
    expect(counted).toBeGreaterThan(1000);
    // 10 lines in full, then about one summary line a second for 3 s.
    expect(count(db, "select count(*) from logs where run_id = ? and node = 'n1'", run.runId)).toBeLessThanOrEqual(10 + 5);
    expect(count(db, "select count(*) from events where run_id = ? and node = 'n1' and kind = 'protocol-error'", run.runId)).toBeLessThanOrEqual(10 + 5);
  });

  it('clamps a telemetry time outside the run into it, with a warning', async () => {
    const { summary, db, run } = await runExperiment(external('old-clock'));
    const ancient = db.prepare("select t_us from events where run_id = ? and kind = 'ancient'").pluck().all(run.runId) as number[];
    expect(ancient).toHaveLength(2);
    for (const t of ancient) {
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThanOrEqual(summary.durationMs * 1000);
    }
    expect(count(db, "select count(*) from events where run_id = ? and kind = 'telemetry-time-clamped'", run.runId)).toBe(2);
    expect(summary.warnings).toContain('n1: 1 telemetry time outside the run clamped into it');
  });
});

describe('faults at the same time', () => {
  it('are applied and recorded in the order of the file', async () => {
    const { db, run } = await runExperiment({
      name: 'same-time',
      seed: 2,
      duration: '1500ms',
      nodes: { count: 3, program: 'echo' },
      faults: [
        { at: '1s', partition: [['n1'], ['n2', 'n3']] },
        { at: '1s', pause: 'n1' },
        { at: '1s', heal: true },
        { at: '1s', resume: 'n1' },
        { at: '1s', cut: { from: 'n2', to: 'n3' } },
        { at: '1s', kill: 'n3' },
      ],
    });
    const kinds = db.prepare('select kind from faults where run_id = ? order by rowid').pluck().all(run.runId);
    expect(kinds).toEqual(['partition', 'pause', 'heal', 'resume', 'cut', 'kill']);
  });
});

describe('a working directory that does not exist', () => {
  it('is named as such, not as a missing executable', async () => {
    const { summary } = await runExperiment({ name: 'no-cwd', seed: 1, duration: '500ms', nodes: { count: 1, command: ['python3', 'node.py'], cwd: '/nonexistent-distlab-dir' } });
    expect(summary.status).toBe('failed');
    expect(summary.problems.join('\n')).toContain('working directory not found: /nonexistent-distlab-dir');
    expect(summary.problems.join('\n')).not.toContain('executable not found');
  });
});
