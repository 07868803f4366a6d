import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, it, expect } from 'vitest';
import { ExportTargetError, defuseFormula, exportRunCsv, plainNumber } from '../../core/export/csv.js';
import { openDatabase } from '../../core/store/database.js';
import { createRun } from '../../core/store/runs.js';
import { Lab } from '../../core/api/lab.js';
import { ApiError } from '../../core/api/errors.js';

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

/** One row in every table, each with a line break (LF, and CRLF) inside a text cell. */
function fillEveryTable(db: Database.Database, runId: number): void {
  insertMessage(db, runId, { id: 1, body: '{"text":"one\ntwo"}', type: 'multi\nline' });
  db.prepare("INSERT INTO operations (run_id, client, node, op, t_invoke_us, t_complete_us, outcome, detail_json) VALUES (?, 'c1', 'n1', 'echo', 1, 2, 'ok', ?)").run(runId, 'a\r\nb');
  db.prepare("INSERT INTO events (run_id, t_us, node, kind, detail_json) VALUES (?, 3, 'n1', 'note', ?)").run(runId, 'first\nsecond');
  db.prepare("INSERT INTO metrics (run_id, t_us, node, name, value) VALUES (?, 4, 'n1', ?, 1)").run(runId, 'm\nx');
  db.prepare("INSERT INTO faults (run_id, t_us, kind, detail_json, source) VALUES (?, 5, 'kill', ?, 'schedule')").run(runId, '{"node":"n1"}\n');
  db.prepare("INSERT INTO logs (run_id, t_us, node, stream, line) VALUES (?, 6, 'n1', 'stderr', ?)").run(runId, 'log\nline');
  db.prepare("INSERT INTO nodes (run_id, node, incarnation, pid, command_json, t_start_us, signal) VALUES (?, 'n1', 1, 5, '[]', 0, ?)").run(runId, 'SIG\nTERM');
}

/** The record separators of a CSV text: line breaks outside quoted cells. */
function separators(text: string): string[] {
  const found: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (!quoted && (text[i] === '\r' || text[i] === '\n')) {
      const crlf = text.startsWith('\r\n', i);
      found.push(crlf ? '\r\n' : text[i]);
      if (crlf) i++;
    }
  }
  return found;
}

describe('exportRunCsv: line endings', () => {
  it('ends the header row and every record of every file with CRLF, and keeps line breaks inside cells as written', async () => {
    const { dir, db, runId } = setUp();
    fillEveryTable(db, runId);
    const out = join(dir, 'out');
    await exportRunCsv(db, runId, out);

    for (const file of Object.keys(HEADERS)) {
      const text = readFileSync(join(out, file), 'utf8');
      expect(text.startsWith(`${HEADERS[file]}\r\n`), file).toBe(true);
      expect(separators(text), file).toEqual(['\r\n', '\r\n']);
      expect(readCsv(out, file), file).toHaveLength(2);
    }
    expect(readCsv(out, 'messages.csv')[1][3]).toBe('multi\nline');
    expect(readCsv(out, 'messages.csv')[1][10]).toBe('{"text":"one\ntwo"}');
    expect(readCsv(out, 'operations.csv')[1][7]).toBe('a\r\nb');
    expect(readCsv(out, 'faults.csv')[1][2]).toBe('{"node":"n1"}\n');
    expect(readCsv(out, 'logs.csv')[1][3]).toBe('log\nline');
  });
});

describe('exportRunCsv: text as written', () => {
  it('writes non-Latin scripts and emoji byte for byte in UTF-8', async () => {
    const { dir, db, runId } = setUp();
    const texts = ['héllo→', '日本語のテキスト', 'Ελληνικά', 'עברית', 'العربية', 'हिन्दी', '👩‍👩‍👧 🎉', 'e\u0301 combining'];
    texts.forEach((type, i) => insertMessage(db, runId, { id: i + 1, type, body: JSON.stringify({ type, text: type }) }));
    texts.forEach((line, i) => db.prepare("INSERT INTO logs (run_id, t_us, node, stream, line) VALUES (?, ?, 'n1', 'stderr', ?)").run(runId, i, line));
    const out = join(dir, 'out');
    await exportRunCsv(db, runId, out);

    const messages = readCsv(out, 'messages.csv').slice(1);
    expect(messages.map((row) => row[3])).toEqual(texts);
    expect(messages.map((row) => JSON.parse(row[10]).text)).toEqual(texts);
    expect(readCsv(out, 'logs.csv').slice(1).map((row) => row[3])).toEqual(texts);
    const bytes = readFileSync(join(out, 'logs.csv'));
    expect(bytes.includes(Buffer.from('👩‍👩‍👧 🎉', 'utf8'))).toBe(true);
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
  });
});

describe('exportRunCsv: formula injection', () => {
  it('defuses formulas behind spaces, tabs and line breaks, commands starting with |, and the full-width forms', () => {
    const dangerous = [' =1+1', '\t=1+1', '   +1', ' -1+2', ' @SUM(A1)', '|calc', ' |calc', '\n=1', '\u00a0=1', '\u3000=1', '＝1+1', '＋1', '－1', '＠x', '｜x', '=', '+', '-', '@', '\t', '\rx'];
    for (const cell of dangerous) expect(defuseFormula(cell), JSON.stringify(cell)).toBe(`'${cell}`);
    for (const cell of ['', 'a=b', 'echo_ok', '1-2', 'x|y', ' plain', 'héllo→', "'=already"]) expect(defuseFormula(cell), JSON.stringify(cell)).toBe(cell);
  });

  it('applies to every text cell of the export and keeps RFC 4180 quoting', async () => {
    const { dir, db, runId } = setUp();
    insertMessage(db, runId, { id: 1, type: ' =HYPERLINK("x")', body: '|cmd', src: '\t+1' });
    db.prepare("INSERT INTO metrics (run_id, t_us, node, name, value) VALUES (?, 1, ' @n', ' -x', -2)").run(runId);
    const out = join(dir, 'out');
    await exportRunCsv(db, runId, out);

    const text = readFileSync(join(out, 'messages.csv'), 'utf8');
    expect(text).toContain(`,"' =HYPERLINK(""x"")",`);
    expect(readCsv(out, 'messages.csv')[1]).toEqual(['1', "'\t+1", 'n2', `' =HYPERLINK("x")`, '0', '', 'lost', '2', '', '0', "'|cmd"]);
    expect(readCsv(out, 'metrics.csv')[1]).toEqual(['0.001', "' @n", "' -x", '-2']);
  });
});

describe('exportRunCsv: the folder', () => {
  it('refuses a folder that already holds the export\'s files, naming them, unless asked to overwrite', async () => {
    const { dir, db, runId } = setUp();
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'logs.csv'), 'mine\n');
    writeFileSync(join(out, 'notes.txt'), 'keep');
    const error = await exportRunCsv(db, runId, out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportTargetError);
    expect((error as ExportTargetError).code).toBe('exists');
    expect((error as ExportTargetError).files).toEqual([join(out, 'logs.csv')]);
    expect((error as Error).message).toContain('logs.csv');
    expect(readFileSync(join(out, 'logs.csv'), 'utf8')).toBe('mine\n');
    expect(readdirSync(out).sort()).toEqual(['logs.csv', 'notes.txt']);

    await exportRunCsv(db, runId, out, { overwrite: true });
    expect(readFileSync(join(out, 'logs.csv'), 'utf8')).toBe(`${HEADERS['logs.csv']}\r\n`);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('keep');
  });

  it('names an out path that is a file, a folder that cannot be created, and a file name taken by a folder', async () => {
    const { dir, db, runId } = setUp();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    await expect(exportRunCsv(db, runId, file)).rejects.toMatchObject({ code: 'not-a-folder', message: `${file} is a file, not a folder; give a folder to write the export into` });
    await expect(exportRunCsv(db, runId, join(file, 'sub'))).rejects.toMatchObject({ code: 'unwritable', message: expect.stringContaining(`the folder ${join(file, 'sub')} cannot be created`) });
    const out = join(dir, 'out');
    mkdirSync(join(out, 'events.csv'), { recursive: true });
    await expect(exportRunCsv(db, runId, out, { overwrite: true })).rejects.toMatchObject({ code: 'not-a-folder', message: expect.stringContaining(`${join(out, 'events.csv')} is a folder`) });
    expect(statSync(file).size).toBe(1);
  });
});

describe('the lab\'s runs.export', () => {
  it('answers export-files-exist with the files, for the renderer to ask, and replaces them with overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'distlab-csv-lab-'));
    const dbPath = join(dir, 'runs.db');
    const db = openDatabase(dbPath);
    const runId = createRun(db, { name: 'lab-export', experiment: {}, seed: 1, startedAtMs: 0, enginePid: 1, engineStartTime: null });
    db.close();
    const lab = new Lab({ dbPath, shell: 'browser', presetsDir: dir });
    try {
      const out = join(dir, 'out');
      const first = await lab.invoke('runs.export', { runId, dir: out });
      expect(first.files).toHaveLength(7);
      const error = await lab.invoke('runs.export', { runId, dir: out }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).payload).toMatchObject({ kind: 'input', code: 'export-files-exist', files: first.files, problems: [{ path: 'dir' }] });
      expect((await lab.invoke('runs.export', { runId, dir: out, overwrite: true })).files).toEqual(first.files);
      const bad = await lab.call('runs.export', { runId, dir: out, overwrite: 'yes' }).catch((e: unknown) => e);
      expect((bad as ApiError).payload).toMatchObject({ kind: 'input', problems: [{ path: 'overwrite', message: 'expected true or false' }] });
    } finally {
      await lab.close();
    }
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
