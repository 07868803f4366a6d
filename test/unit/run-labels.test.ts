// A label and a note on a run: stored with it, listed by `distlab runs` and the lab's API.
import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../core/store/database.js';
import { annotateRun, createRun } from '../../core/store/runs.js';
import { listRuns, RunNotFoundError } from '../../core/store/queries.js';
import { main } from '../../core/cli/main.js';
import { ARG_SCHEMAS } from '../../core/api/schemas.js';
import { tempDir } from '../integration/helpers.js';

describe('labels and notes on runs', () => {
  const dbPath = join(tempDir(), 'labels.db');
  const db = openDatabase(dbPath);
  const first = createRun(db, { name: 'raft-leader-faults', experiment: { name: 'raft-leader-faults' }, seed: 17, startedAtMs: 1, enginePid: 1, engineStartTime: null });
  const second = createRun(db, { name: 'raft-leader-faults', experiment: { name: 'raft-leader-faults' }, seed: 17, startedAtMs: 2, enginePid: 1, engineStartTime: null });

  it('stores them with the run, trimmed, and clears them when blank', () => {
    annotateRun(db, first, '  baseline ', 'heartbeat 50 ms, before the fix');
    annotateRun(db, second, 'fast heartbeats', null);
    const rows = listRuns(db);
    expect(rows.find((r) => r.id === first)).toMatchObject({ label: 'baseline', note: 'heartbeat 50 ms, before the fix' });
    expect(rows.find((r) => r.id === second)).toMatchObject({ label: 'fast heartbeats', note: null });
    annotateRun(db, second, '   ', null);
    expect(listRuns(db).find((r) => r.id === second)?.label).toBeNull();
    expect(() => annotateRun(db, 99, 'x', null)).toThrow(RunNotFoundError);
  });

  it('shows the label beside the name in distlab runs', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    try {
      await main(['runs', '--db', dbPath]);
    } finally {
      vi.restoreAllMocks();
    }
    expect(out.join('')).toMatch(/raft-leader-faults \[baseline\]/);
  });

  it('refuses a label that is too long, naming the field', () => {
    const result = ARG_SCHEMAS['runs.annotate'].safeParse({ runId: 1, label: 'x'.repeat(81), note: null });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['label']);
    expect(result.error?.issues[0].message).toMatch(/at most 80 characters/);
  });
});
