// A Lab on a fresh database for one test file, keeping every run.data and run.status it emits.
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Lab } from '../../core/api/lab.js';
import type { RunData, RunStatusEvent } from '../../core/api/contract.js';
import { repoRoot, tempDbPath } from './helpers.js';

export interface LabUnderTest {
  /** Set before the file's tests run. */
  lab: Lab;
  dbPath: string;
  data: RunData[];
  statuses: RunStatusEvent[];
  /** Resolves with what `find` finds, polling; rejects after timeoutMs. */
  until<T>(find: () => T | undefined): Promise<T>;
  /** The status event that carries the run's summary. */
  finalStatus(runId: number): Promise<RunStatusEvent>;
}

export function labUnderTest(timeoutMs: number, pollMs: number): LabUnderTest {
  const data: RunData[] = [];
  const statuses: RunStatusEvent[] = [];
  const until = <T>(find: () => T | undefined): Promise<T> => {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const poll = () => {
        const found = find();
        if (found !== undefined) resolve(found);
        else if (Date.now() - started > timeoutMs) reject(new Error(`not seen within ${timeoutMs} ms`));
        else setTimeout(poll, pollMs);
      };
      poll();
    });
  };
  const t: LabUnderTest = {
    lab: undefined as unknown as Lab,
    dbPath: '',
    data,
    statuses,
    until,
    finalStatus: (runId) => until(() => statuses.find((s) => s.runId === runId && s.summary)),
  };
  beforeAll(() => {
    t.dbPath = tempDbPath();
    t.lab = new Lab({ dbPath: t.dbPath, shell: 'browser', presetsDir: join(repoRoot, 'resources/experiments') });
    t.lab.on('run.data', (d) => data.push(d));
    t.lab.on('run.status', (s) => statuses.push(s));
  });
  afterAll(async () => {
    await t.lab.close();
  });
  return t;
}
