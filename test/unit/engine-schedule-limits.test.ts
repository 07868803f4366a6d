// The fault schedule keeps the file's order, junk lines are rate-limited, and the
// record-consistent check catches a record that does not match its counts.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { playSchedule } from '../../core/engine/fault-schedule.js';
import { LineLimiter } from '../../core/engine/line-limiter.js';
import { RunClock } from '../../core/engine/run-clock.js';
import { openDatabase } from '../../core/store/database.js';
import { createRun } from '../../core/store/runs.js';
import { checkRecordConsistent } from '../../core/checks/record-consistent.js';
import { zeroCounts } from '../../core/engine/message-counts.js';
import { tempDir } from '../integration/helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('playSchedule', () => {
  it('fires faults due at the same time in the order the file lists them', async () => {
    const fired: string[] = [];
    const names = ['partition', 'pause n1', 'heal', 'resume n1', 'kill n2', 'change-link'];
    playSchedule(new RunClock(), names.map((name) => ({ atMs: 30, fire: () => fired.push(name) })));
    await sleep(80);
    expect(fired).toEqual(names);
  });

  it('keeps time order, and file order within a time, after a late wake-up', async () => {
    const fired: string[] = [];
    const clock = new RunClock();
    playSchedule(clock, [
      { atMs: 40, fire: () => fired.push('b1') },
      { atMs: 20, fire: () => fired.push('a') },
      { atMs: 40, fire: () => fired.push('b2') },
      { atMs: 60, fire: () => fired.push('c') },
    ]);
    busyFor(70); // the engine was busy past every due time
    await sleep(20);
    expect(fired).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('fires nothing once cancelled', async () => {
    const fired: string[] = [];
    playSchedule(new RunClock(), [{ atMs: 20, fire: () => fired.push('x') }]).cancel();
    await sleep(40);
    expect(fired).toEqual([]);
  });
});

describe('LineLimiter', () => {
  it('lets the first lines through, then reports counts once a second', async () => {
    const reports: number[] = [];
    const limiter = new LineLimiter((count) => reports.push(count), 3);
    const admitted = Array.from({ length: 1000 }, () => limiter.admit()).filter(Boolean).length;
    expect(admitted).toBe(3);
    expect(reports).toEqual([]);
    limiter.close();
    expect(reports).toEqual([997]);
  });
});

describe('record-consistent', () => {
  it('is valid when the counts equal the rows, and names every difference when not', () => {
    const db = openDatabase(join(tempDir(), 'consistent.db'));
    const runId = createRun(db, { name: 'c', experiment: {}, seed: 1, startedAtMs: 1, enginePid: 1, engineStartTime: null });
    const insert = db.prepare("insert into messages (run_id, id, src, dest, type, body, bytes, t_send_us, fate, dup_of, corrupted) values (?, ?, 'n1', 'n2', 't', '{}', 2, 0, ?, ?, 0)");
    insert.run(runId, 1, 'delivered', null);
    insert.run(runId, 2, 'lost', 1);
    insert.run(runId, 3, 'in-flight-at-end', null);
    const counted = { ...zeroCounts(), sent: 2, duplicated: 1, delivered: 1, lost: 1, inFlightAtEnd: 1 };
    expect(checkRecordConsistent(db, runId, counted)).toEqual({ valid: true, rows: 3, mismatches: [] });

    const wrong = checkRecordConsistent(db, runId, { ...counted, delivered: 2, sent: 3 });
    expect(wrong.valid).toBe(false);
    expect(wrong.mismatches).toEqual(['sent: counted 3, recorded 2', 'delivered: counted 2, recorded 1']);
    db.close();
  });
});

describe('nodeNiceness', () => {
  it('keeps the nodes together no heavier than the engine, and a few nodes at the mildest notch', async () => {
    const { nodeNiceness } = await import('../../core/engine/node-process.js');
    expect([1, 3, 5, 10, 30, 80, 1000].map(nodeNiceness)).toEqual([5, 5, 8, 11, 16, 19, 19]);
  });
});
