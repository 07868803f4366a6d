import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, it, expect } from 'vitest';
import { exportRunCsv, plainNumber } from '../../core/export/csv.js';
import { openDatabase } from '../../core/store/database.js';
import { createRun } from '../../core/store/runs.js';

const HEADERS: Record<string, string> = {
  'messages.csv': 'id,src,dest,type,t_send_ms,t_deliver_ms,fate,bytes,dup_of,corrupted,body',
  'operations.csv': 'client,node,op,t_invoke_ms,t_complete_ms,latency_ms,outcome,detail',
  'events.csv': 't_ms,node,kind,detail',
  'metrics.csv': 't_ms,node,name,value',
  'faults.csv': 't_ms,kind,detail,source',
  'logs.csv': 't_ms,node,stream,line',
  'nodes.csv': 'node,incarnation,pid,t_start_ms,t_exit_ms,exit_code,signal',
};

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'distlab-csv-'));
  const db = openDatabase(join(dir, 'distlab.db'));
  const runId = createRun(db, { name: 'csv', experiment: {}, seed: 1, startedAtMs: 0, enginePid: 1, engineStartTime: null });
  return { dir, db, runId };
}

/** A strict RFC 4180 reader: CRLF between records, quoted fields with "" for a quote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else if (i >= text.length) {
          throw new Error('unterminated quoted field');
        } else {
          field += text[i++];
        }
      }
    } else if (text[i] === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (text.startsWith('\r\n', i)) {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (text[i] === '\n' || text[i] === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      field += text[i++];
    }
  }
  if (field !== '' || record.length > 0) throw new Error('last record does not end with CRLF');
  return records;
}

function readCsv(dir: string, file: string): string[][] {
  return parseCsv(readFileSync(join(dir, file), 'utf8'));
}

function insertMessage(db: Database.Database, runId: number, values: Record<string, unknown>): void {
  const row = { id: 1, src: 'n1', dest: 'n2', type: 'echo', body: '{}', bytes: 2, t_send_us: 0, t_deliver_us: null, fate: 'lost', dup_of: null, corrupted: 0, ...values };
  db.prepare(
    `INSERT INTO messages (run_id, id, src, dest, type, body, bytes, t_send_us, t_deliver_us, fate, dup_of, corrupted)
     VALUES (@run_id, @id, @src, @dest, @type, @body, @bytes, @t_send_us, @t_deliver_us, @fate, @dup_of, @corrupted)`,
  ).run({ run_id: runId, ...row });
}

describe('exportRunCsv', () => {
  it('writes every file with its header row, and only headers for an empty run', async () => {
    const { db, runId } = setUp();
    const out = join(mkdtempSync(join(tmpdir(), 'distlab-csv-out-')), 'nested', 'out');
    const result = await exportRunCsv(db, runId, out);

    expect(result.files).toEqual(Object.keys(HEADERS).map((file) => join(out, file)));
    for (const [file, header] of Object.entries(HEADERS)) {
      expect(readFileSync(join(out, file), 'utf8')).toBe(`${header}\r\n`);
      expect(result.rows[join(out, file)]).toBe(0);
    }
  });

  it('quotes commas, quotes and line breaks per RFC 4180, and writes null as an empty cell', async () => {
    const { dir, db, runId } = setUp();
    insertMessage(db, runId, { id: 1, body: 'say "hi", then\r\nleave\nnow', t_send_us: 1_234_567, t_deliver_us: null, dup_of: null });
    insertMessage(db, runId, { id: 2, body: 'plain', t_send_us: 2_000_000, t_deliver_us: 2_000_001, fate: 'duplicated', dup_of: 1, corrupted: 1 });
    insertMessage(db, runId, { id: 3, body: 'two\nlines', type: 'a,b' });
    const out = join(dir, 'out');
    await exportRunCsv(db, runId, out);

    const text = readFileSync(join(out, 'messages.csv'), 'utf8');
    expect(text).toBe(
      `${HEADERS['messages.csv']}\r\n` +
        '1,n1,n2,echo,1234.567,,lost,2,,0,"say ""hi"", then\r\nleave\nnow"\r\n' +
        '2,n1,n2,echo,2000,2000.001,duplicated,2,1,1,plain\r\n' +
        '3,n1,n2,"a,b",0,,lost,2,,0,"two\nlines"\r\n',
    );
    expect(readCsv(out, 'messages.csv')[1][10]).toBe('say "hi", then\r\nleave\nnow');
  });

  it('defuses text cells that a spreadsheet would run as a formula, but not negative numbers', async () => {
    const { dir, db, runId } = setUp();
    const dangerous = ['=SUM(A1:A9)', '+1+1', '-2+3', '@cmd', '\tx', '\rx'];
    dangerous.forEach((line, i) => db.prepare("INSERT INTO logs (run_id, t_us, node, stream, line) VALUES (?, ?, 'n1', 'stderr', ?)").run(runId, i, line));
    db.prepare("INSERT INTO metrics (run_id, t_us, node, name, value) VALUES (?, 5, '-n1', '=bad', -3.5)").run(runId);
    db.prepare("INSERT INTO nodes (run_id, node, incarnation, pid, command_json, t_start_us, exit_code) VALUES (?, 'n1', 0, 77, '[]', 0, -1)").run(runId);
    const out = join(dir, 'out');
    await exportRunCsv(db, runId, out);

    expect(readCsv(out, 'logs.csv').slice(1).map((row) => row[3])).toEqual(dangerous.map((line) => `'${line}`));
    expect(readCsv(out, 'metrics.csv')[1]).toEqual(['0.005', "'-n1", "'=bad", '-3.5']);
    expect(readCsv(out, 'nodes.csv')[1]).toEqual(['n1', '0', '77', '0', '', '-1', '']);
  });

  it('writes times in ms with µs precision and numbers without exponents', async () => {
    const { dir, db, runId } = setUp();
    const times = [0, 1, 999, 1000, 1_234_567, 3_600_000_000_001];
    times.forEach((t) =>
      db.prepare("INSERT INTO metrics (run_id, t_us, node, name, value) VALUES (?, ?, 'n1', 'x', ?)").run(runId, t, t === 1 ? 1e-7 : t === 999 ? 2.5e21 : 0.1),
    );
    db.prepare(
      `INSERT INTO operations (run_id, client, node, op, t_invoke_us, t_complete_us, outcome, detail_json)
       VALUES (?, 'c1', 'n1', 'echo', 1500, 3250, 'ok', '{"a":1,"b":"x"}'), (?, 'c1', 'n1', 'echo', 4000, NULL, 'timeout', NULL)`,
    ).run(runId, runId);
    const out = join(dir, 'out');
    await exportRunCsv(db, runId, out);

    expect(readCsv(out, 'metrics.csv').slice(1).map((row) => [row[0], row[3]])).toEqual([
      ['0', '0.1'],
      ['0.001', '0.0000001'],
      ['0.999', '2500000000000000000000'],
      ['1', '0.1'],
      ['1234.567', '0.1'],
      ['3600000000.001', '0.1'],
    ]);
    expect(readCsv(out, 'operations.csv').slice(1)).toEqual([
      ['c1', 'n1', 'echo', '1.5', '3.25', '1.75', 'ok', '{"a":1,"b":"x"}'],
      ['c1', 'n1', 'echo', '4', '', '', 'timeout', ''],
    ]);
  });

  it('exports only the asked run, in order, across many pages, reporting progress', async () => {
    const { dir, db, runId } = setUp();
    const other = createRun(db, { name: 'other', experiment: {}, seed: 2, startedAtMs: 0, enginePid: 1, engineStartTime: null });
    const insert = db.prepare(
      `INSERT INTO events (run_id, t_us, node, kind, detail_json) VALUES (?, ?, 'n1', 'tick', ?)`,
    );
    db.transaction(() => {
      // Inserted out of time order, with ties, so the export's ordering is really tested.
      for (let i = 12_345; i > 0; i--) insert.run(runId, Math.floor(i / 2) * 1000, String(i));
      insert.run(other, 5, 'other run');
    })();
    const progress: number[] = [];
    const out = join(dir, 'out');
    const result = await exportRunCsv(db, runId, out, (file, rows) => {
      if (file.endsWith('events.csv')) progress.push(rows);
    });

    const rows = readCsv(out, 'events.csv').slice(1);
    expect(rows.length).toBe(12_345);
    expect(result.rows[join(out, 'events.csv')]).toBe(12_345);
    expect(progress.at(-1)).toBe(12_345);
    expect(progress.length).toBeGreaterThan(1);
    const times = rows.map((row) => Number(row[0]));
    expect(times.every((t, i) => i === 0 || times[i - 1] <= t)).toBe(true);
    expect(rows.some((row) => row[3] === 'other run')).toBe(false);
  });

  it('rejects an unknown run before creating anything', async () => {
    const { dir, db } = setUp();
    const out = join(dir, 'never');
    await expect(exportRunCsv(db, 99, out)).rejects.toThrow(`no run 99 in ${join(dir, 'distlab.db')}`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('plainNumber', () => {
  it('never uses exponent notation', () => {
    expect(plainNumber(1e-7)).toBe('0.0000001');
    expect(plainNumber(-1.25e-8)).toBe('-0.0000000125');
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(-1.5e22)).toBe('-15000000000000000000000');
    expect(plainNumber(1234.567)).toBe('1234.567');
    expect(plainNumber(-3)).toBe('-3');
  });
});
