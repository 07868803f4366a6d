// distlab export --format jsonl: one JSON object per recorded row, every row of the run.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from './helpers.js';

describe('distlab export --format jsonl', () => {
  it('writes the run and every row of every table, typed, with details parsed', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const file = path.join(dir, 'e.yaml');
    writeFileSync(file, 'name: jsonl-héllo\nseed: 3\nduration: 1200ms\nnodes: { count: 3, program: echo }\nnetwork: { loss: 0.1, duplicate: 0.1 }\nfaults:\n  - { at: 600ms, partition: [[n1], [n2, n3]] }\nworkload: { kind: echo, rate: 50, clients: 2 }\n');
    expect(runCli(['run', file, '--db', db, '--json']).code).toBe(0);
    const out = path.join(dir, 'out');
    const exported = runCli(['export', '1', '--format', 'jsonl', '--out', out, '--db', db]);
    expect(exported.code).toBe(0);
    const lines = readFileSync(path.join(out, 'run.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ table: 'runs', id: 1, name: 'jsonl-héllo', status: 'completed' });

    const read = new Database(db, { readonly: true });
    for (const table of ['messages', 'operations', 'events', 'metrics', 'faults', 'logs', 'nodes']) {
      const rows = read.prepare(`select count(*) from ${table} where run_id = 1`).pluck().get();
      expect(lines.filter((l) => l.table === table).length, table).toBe(rows);
    }
    const message = lines.find((l) => l.table === 'messages' && l.dup_of !== null);
    expect(message).toMatchObject({ id: expect.any(Number), t_send_ms: expect.any(Number), fate: expect.any(String), dup_of: expect.any(Number) });
    const partition = lines.find((l) => l.table === 'faults');
    expect(partition.detail.groups).toEqual([['n1'], ['n2', 'n3']]);
    read.close();

    const again = runCli(['export', '1', '--format', 'jsonl', '--out', out, '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds run.jsonl');
    expect(runCli(['export', '1', '--format', 'jsonl', '--out', out, '--db', db, '--force']).code).toBe(0);
    const bad = runCli(['export', '1', '--format', 'xml', '--out', out, '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format: expected one of csv, shiviz, perfetto, jsonl, got "xml"');
  });
});
