import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, it, expect } from 'vitest';
import { isSameProcessAlive, parseProcStatStartTime, processStartTime } from '../../core/engine/process-identity.js';
import { reapOrphans } from '../../core/engine/reaper.js';
import { openDatabase } from '../../core/store/database.js';
import { createRun, finishRun } from '../../core/store/runs.js';

function sleeper(): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not spawn sleep');
  return child as ChildProcess & { pid: number };
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

describe('processStartTime', () => {
  it('gives this process a stable start time', () => {
    const own = processStartTime(process.pid);
    expect(own).not.toBeNull();
    if (process.platform === 'linux') expect(own).toMatch(/^\d+$/);
    expect(processStartTime(process.pid)).toBe(own);
    expect(isSameProcessAlive(process.pid, own)).toBe(true);
  });

  it('follows a child until it exits, then reports it gone', async () => {
    const child = sleeper();
    const startTime = processStartTime(child.pid);
    expect(startTime).not.toBeNull();
    expect(isSameProcessAlive(child.pid, startTime)).toBe(true);
    child.kill('SIGKILL');
    await exitOf(child);
    expect(processStartTime(child.pid)).toBeNull();
    expect(isSameProcessAlive(child.pid, startTime)).toBe(false);
  });

  it('never vouches for a pid whose start time differs or was not recorded', () => {
    expect(isSameProcessAlive(process.pid, '1')).toBe(false);
    expect(isSameProcessAlive(process.pid, null)).toBe(false);
  });

  it('treats 0 and negative pids (process groups for kill) as no process', () => {
    expect(processStartTime(0)).toBeNull();
    expect(processStartTime(-1)).toBeNull();
    expect(processStartTime(1.5)).toBeNull();
  });

  it('reads field 22 of /proc/<pid>/stat even when the command name has spaces and parentheses', () => {
    const afterComm = ['S', ...Array.from({ length: 18 }, (_, i) => String(i + 4)), '8675309', '23', '24'];
    expect(parseProcStatStartTime(`4242 (evil) name (x)) ${afterComm.join(' ')}\n`)).toBe('8675309');
    expect(parseProcStatStartTime(`4242 (a b) ${['Z', ...afterComm.slice(1)].join(' ')}`)).toBeNull();
    expect(parseProcStatStartTime('garbage')).toBeNull();
  });
});

describe('reapOrphans', () => {
  function recordNode(db: Database.Database, runId: number, node: string, pid: number, startTime: string | null): void {
    db.prepare(
      `INSERT INTO nodes (run_id, node, incarnation, pid, pid_start_time, command_json, t_start_us)
       VALUES (?, ?, 0, ?, ?, '["sleep","30"]', 0)`,
    ).run(runId, node, pid, startTime);
  }

  it('kills the verified orphans of dead engines, records it, and spares everything else', async () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'distlab-reaper-')), 'distlab.db'));
    const startedAtMs = Date.now() - 5000;
    const newRun = (enginePid: number, engineStartTime: string | null) =>
      createRun(db, { name: 'r', experiment: {}, seed: 1, startedAtMs, enginePid, engineStartTime });

    const interrupted = newRun(999_999, 'gone');
    finishRun(db, interrupted, { status: 'interrupted', endedAtMs: startedAtMs, durationMs: 0, summary: null });
    const deadEngine = newRun(999_999, 'gone'); // still 'running', but its engine is not alive
    const liveEngine = newRun(process.pid, processStartTime(process.pid)); // this process is its engine

    const orphan = sleeper();
    const orphanOfRunning = sleeper();
    const reusedPid = sleeper();
    const ownedByLiveEngine = sleeper();
    try {
      recordNode(db, interrupted, 'n1', orphan.pid, processStartTime(orphan.pid));
      recordNode(db, deadEngine, 'n1', orphanOfRunning.pid, processStartTime(orphanOfRunning.pid));
      recordNode(db, interrupted, 'n2', reusedPid.pid, '12345'); // same pid, another process
      recordNode(db, interrupted, 'n3', reusedPid.pid, null); // unverifiable
      recordNode(db, liveEngine, 'n1', ownedByLiveEngine.pid, processStartTime(ownedByLiveEngine.pid));

      const { killed } = reapOrphans(db);

      expect(killed).toEqual([
        { runId: interrupted, node: 'n1', pid: orphan.pid },
        { runId: deadEngine, node: 'n1', pid: orphanOfRunning.pid },
      ]);
      expect(await exitOf(orphan)).toEqual({ code: null, signal: 'SIGKILL' });
      expect(await exitOf(orphanOfRunning)).toEqual({ code: null, signal: 'SIGKILL' });
      expect(processStartTime(orphan.pid)).toBeNull();
      expect(reusedPid.exitCode === null && reusedPid.signalCode === null).toBe(true);
      expect(isSameProcessAlive(reusedPid.pid, processStartTime(reusedPid.pid))).toBe(true);
      expect(ownedByLiveEngine.exitCode === null && ownedByLiveEngine.signalCode === null).toBe(true);

      const exitRow = db
        .prepare("SELECT t_exit_us, exit_code, signal FROM nodes WHERE run_id = ? AND node = 'n1'")
        .get(interrupted) as { t_exit_us: number; exit_code: number | null; signal: string };
      expect(exitRow.signal).toBe('SIGKILL');
      expect(exitRow.exit_code).toBeNull();
      expect(exitRow.t_exit_us).toBeGreaterThanOrEqual(5_000_000);
      expect(db.prepare("SELECT t_exit_us FROM nodes WHERE run_id = ? AND node = 'n2'").pluck().get(interrupted)).toBeNull();
      const events = db.prepare("SELECT run_id, node, detail_json FROM events WHERE kind = 'reaped' ORDER BY run_id").all() as Array<{
        run_id: number;
        node: string;
        detail_json: string;
      }>;
      expect(events.map((e) => [e.run_id, e.node, JSON.parse(e.detail_json).pid])).toEqual([
        [interrupted, 'n1', orphan.pid],
        [deadEngine, 'n1', orphanOfRunning.pid],
      ]);

      // A second pass finds nothing left to do.
      expect(reapOrphans(db).killed).toEqual([]);
    } finally {
      for (const child of [orphan, orphanOfRunning, reusedPid, ownedByLiveEngine]) child.kill('SIGKILL');
    }
  });
});
