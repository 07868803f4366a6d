// The distlab command line in pipes and on odd files, run as real processes (bin/distlab.js):
// a reader that goes away, seeds that cannot be used exactly, databases that cannot be
// written, paths that are not what they should be, and text in any script through to the
// database and the CSV export.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { cliPath, runCli, tempDir } from './helpers.js';

function experimentFile(dir: string, yaml: string, name = 'experiment.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

const echoYaml = (duration: string) => `
name: pipes-echo
seed: 5
duration: ${duration}
nodes: { count: 2, program: echo }
workload: { kind: echo, rate: 40, clients: 2 }
`;

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with the reading end of its stdout (and, if asked, stderr) closed from the
 * start, as `distlab … | head -1` does once head has its line: every write gets EPIPE.
 */
function runWithClosedOutput(args: string[], closeStderr = false): Promise<Outcome> {
  const cli = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  cli.stdout.destroy();
  let stderr = '';
  if (closeStderr) cli.stderr.destroy();
  else cli.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => cli.on('close', (code, signal) => resolve({ code, signal, stdout: '', stderr })));
}

function expectNoStackTrace(out: { stderr: string }): void {
  expect(out.stderr).not.toMatch(/\n\s+at /);
  expect(out.stderr).not.toContain('EPIPE');
  expect(out.stderr).not.toContain('internal error');
}

function runStatus(db: string, runId: number): string {
  const reader = new Database(db, { readonly: true });
  try {
    return reader.prepare('select status from runs where id = ?').pluck().get(runId) as string;
  } finally {
    reader.close();
  }
}

/** A database with two completed runs, made once for the tests that only read. */
function recordedDatabase(): { dir: string; db: string } {
  const dir = tempDir();
  const db = path.join(dir, 'runs.db');
  const file = experimentFile(dir, echoYaml('500ms'));
  for (let i = 0; i < 2; i++) expect(runCli(['run', file, '--db', db]).code).toBe(0);
  return { dir, db };
}

describe('the CLI when its reader goes away (EPIPE)', () => {
  let recorded: { dir: string; db: string };
  beforeAll(() => {
    recorded = recordedDatabase();
  });

  it('run goes on with stdout closed, records the run as completed and exits with its status', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const out = await runWithClosedOutput(['run', experimentFile(dir, echoYaml('800ms')), '--db', db, '--json']);
    expectNoStackTrace(out);
    expect(out.stderr).toContain('run 1: pipes-echo');
    expect(out.code).toBe(0);
    expect(runStatus(db, 1)).toBe('completed');
  });

  it('run goes on with both stdout and stderr closed', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    // Progress lines go to stderr every second: the run outlives several of them.
    const out = await runWithClosedOutput(['run', experimentFile(dir, echoYaml('2500ms')), '--db', db], true);
    expect(out.code).toBe(0);
    expect(runStatus(db, 1)).toBe('completed');
  });

  it('export writes every file and exits 0 with stdout closed', async () => {
    const outDir = path.join(tempDir(), 'csv');
    const out = await runWithClosedOutput(['export', '1', '--out', outDir, '--db', recorded.db]);
    expectNoStackTrace(out);
    expect(out.code).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual(['events.csv', 'faults.csv', 'logs.csv', 'messages.csv', 'metrics.csv', 'nodes.csv', 'operations.csv']);
    expect(readFileSync(path.join(outDir, 'nodes.csv'), 'utf8').split('\r\n')).toHaveLength(4);
  });

  it('runs, compare and programs end quietly with stdout closed', async () => {
    for (const args of [
      ['runs', '--db', recorded.db],
      ['runs', '--db', recorded.db, '--json'],
      ['compare', '1', '2', '--db', recorded.db],
      ['programs'],
      ['programs', '--json'],
      ['--help'],
    ]) {
      const out = await runWithClosedOutput(args);
      expectNoStackTrace(out);
      expect(out.code, args.join(' ')).toBe(0);
    }
  });

  it('ends quietly in a shell pipeline into head -1', () => {
    const shell = spawnSync('bash', ['-c', `"${process.execPath}" "${cliPath}" programs | head -1; echo "status \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(shell.stdout.split('\n')[0]).toMatch(/^\S+$/);
    expect(shell.stderr).toMatch(/status 0\n$/);
    expectNoStackTrace(shell);
  });
});

describe('run --seed', () => {
  it('refuses a seed that is not a safe integer, which could not be repeated', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const file = experimentFile(dir, echoYaml('500ms'));
    for (const seed of ['9007199254740993', '9007199254740992', '123456789012345678901234567890']) {
      const out = runCli(['run', file, '--db', db, '--seed', seed]);
      expect(out.code, seed).toBe(2);
      expect(out.stderr).toBe(`distlab: --seed: expected an integer from 0 to 9007199254740991, got "${seed}", which cannot be used exactly\n`);
    }
    expect(existsSync(db)).toBe(false);
  });

  it('takes the largest safe integer exactly', () => {
    const dir = tempDir();
    const out = runCli(['run', experimentFile(dir, echoYaml('400ms')), '--db', path.join(dir, 'runs.db'), '--seed', '9007199254740991', '--json']);
    expect(out.code).toBe(0);
    expect(out.stdout.trim().split('\n').at(-1)).toContain('"seed":9007199254740991,');
  });
});

/** Runs the CLI as an unprivileged user (nobody) when we are root, so that file modes apply. */
function runCliUnprivileged(args: string[], home: string) {
  const asRoot = process.getuid?.() === 0;
  const out = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, HOME: home },
    ...(asRoot && { uid: 65534, gid: 65534 }),
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr, error: out.error };
}

function canRunUnprivileged(): string | null {
  if (process.platform === 'win32') return 'file modes do not apply on Windows';
  if (process.getuid?.() !== 0) return null;
  const probe = spawnSync(process.execPath, ['-e', 'process.exit(process.getuid() === 65534 ? 0 : 1)'], { uid: 65534, gid: 65534 });
  return probe.status === 0 ? null : `cannot run a process as the user nobody here (${probe.error?.message ?? `exit ${probe.status}`})`;
}

function canChattr(dir: string): string | null {
  if (process.getuid?.() !== 0) return 'chattr +i needs root';
  const file = path.join(dir, 'chattr-probe');
  writeFileSync(file, '');
  const set = spawnSync('chattr', ['+i', file], { encoding: 'utf8' });
  if (set.status !== 0) return `chattr +i is not available here (${set.error?.message ?? set.stderr.trim()})`;
  spawnSync('chattr', ['-i', file]);
  return null;
}

describe('a database that cannot be written', () => {
  let recorded: { dir: string; db: string };
  beforeAll(() => {
    recorded = recordedDatabase();
  });

  /** The recorded database copied into a folder of its own, closed cleanly (no -wal or -shm beside it). */
  function copyInto(name: string): { dir: string; db: string } {
    const dir = path.join(tempDir(), name);
    mkdirSync(dir);
    const db = path.join(dir, 'runs.db');
    copyFileSync(recorded.db, db);
    expect(existsSync(`${recorded.db}-wal`)).toBe(false);
    return { dir, db };
  }

  function expectReadable(db: string, home: string, outDir: string, run: (args: string[], home: string) => { code: number | null; stdout: string; stderr: string }) {
    const runs = run(['runs', '--db', db, '--json'], home);
    expect(runs.stderr).toBe('');
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout).map((r: { id: number; status: string }) => [r.id, r.status])).toEqual([
      [2, 'completed'],
      [1, 'completed'],
    ]);
    const compare = run(['compare', '1', '2', '--db', db], home);
    expect(compare.code).toBe(0);
    expect(compare.stdout).toMatch(/^status\s+completed\s+completed$/m);
    const exported = run(['export', '2', '--out', outDir, '--db', db], home);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(readFileSync(path.join(outDir, 'messages.csv'), 'utf8')).toMatch(/^id,src,dest,type,.*\r\n/);
    expect(readFileSync(path.join(outDir, 'nodes.csv'), 'utf8').split('\r\n')).toHaveLength(4);
    const write = run(['run', experimentFile(path.dirname(outDir), echoYaml('500ms'), 'again.yaml'), '--db', db], home);
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(new RegExp(`^distlab: --db ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: distlab run records the run in this database, so it needs write access to the file and its folder; .+\n$`));
    expectNoStackTrace(write);
  }

  it('is read by runs, compare and export, and refused by run, when the file (0444) and its folder (0555) are read-only', (ctx) => {
    const why = canRunUnprivileged();
    if (why) {
      console.warn(`skipped: ${why}`);
      ctx.skip();
      return;
    }
    const { dir, db } = copyInto('read-only');
    const work = path.dirname(dir);
    const outDir = path.join(work, 'csv');
    mkdirSync(outDir);
    chmodSync(work, 0o755);
    chmodSync(outDir, 0o777);
    chmodSync(db, 0o444);
    chmodSync(dir, 0o555);
    const before = readFileSync(db);
    expectReadable(db, work, outDir, runCliUnprivileged);
    // Nothing was written: no -wal or -shm could be made, and the file is unchanged.
    expect(readdirSync(dir)).toEqual(['runs.db']);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('is read, and refused by run, when the file is immutable even to root (chattr +i), with a dead engine\'s run left unmarked', (ctx) => {
    const { dir, db } = copyInto('immutable');
    const why = canChattr(dir);
    if (why) {
      console.warn(`skipped: ${why}`);
      ctx.skip();
      return;
    }
    // A run whose engine died: a writable open would mark it interrupted, which needs a write.
    const writer = new Database(db);
    writer.prepare("update runs set status = 'running', engine_pid = 999999999 where id = 1").run();
    writer.close();
    expect(spawnSync('chattr', ['+i', db]).status).toBe(0);
    try {
      const outDir = path.join(path.dirname(dir), 'csv');
      const runs = runCli(['runs', '--db', db, '--json']);
      expect(runs.stderr).toBe('');
      expect(JSON.parse(runs.stdout).map((r: { status: string }) => r.status)).toEqual(['completed', 'running']);
      const exported = runCli(['export', '1', '--out', outDir, '--db', db]);
      expect(exported.code).toBe(0);
      const write = runCli(['run', experimentFile(dir, echoYaml('500ms'), 'again.yaml'), '--db', db]);
      expect(write.code).toBe(2);
      expect(write.stderr).toContain(`--db ${db}: distlab run records the run in this database, so it needs write access`);
    } finally {
      spawnSync('chattr', ['-i', db]);
    }
  });

  it('names the WAL it cannot read in a read-only folder', (ctx) => {
    const why = canRunUnprivileged();
    if (why) {
      console.warn(`skipped: ${why}`);
      ctx.skip();
      return;
    }
    const { dir, db } = copyInto('pending-wal');
    // Leave committed pages in the WAL: copy the files while a writer still holds them.
    const writer = new Database(db);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("update runs set name = 'changed' where id = 1").run();
    const snapshot = path.join(path.dirname(dir), 'snapshot');
    mkdirSync(snapshot);
    copyFileSync(db, path.join(snapshot, 'runs.db'));
    copyFileSync(`${db}-wal`, path.join(snapshot, 'runs.db-wal'));
    writer.close();
    chmodSync(path.dirname(dir), 0o755);
    chmodSync(snapshot, 0o555);
    const out = runCliUnprivileged(['runs', '--db', path.join(snapshot, 'runs.db')], path.dirname(dir));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${path.join(snapshot, 'runs.db')}-wal holds changes not yet written into it`);
    expectNoStackTrace(out);
  });
});

describe('paths that are not what they should be', () => {
  let recorded: { dir: string; db: string };
  beforeAll(() => {
    recorded = recordedDatabase();
  });

  it('a database path that is a folder, or under a file', () => {
    const dir = tempDir();
    const file = experimentFile(dir, echoYaml('500ms'));
    for (const args of [['runs'], ['compare', '1', '2'], ['export', '1', '--out', path.join(dir, 'out')], ['run', file]]) {
      const out = runCli([...args, '--db', dir]);
      expect(out.code, args[0]).toBe(2);
      expect(out.stderr).toBe(`distlab: ${dir} is a folder, not a database file; give the path of a file in it, e.g. ${dir}/distlab.db\n`);
    }
    const under = runCli(['runs', '--db', path.join(file, 'runs.db')]);
    expect(under.code).toBe(2);
    expect(under.stderr).toBe(`distlab: ${path.join(file, 'runs.db')} cannot be used: a part of the path before runs.db is a file, not a folder\n`);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('an --out that is a file, or that cannot be created', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    const isFile = runCli(['export', '1', '--out', file, '--db', recorded.db]);
    expect(isFile.code).toBe(2);
    expect(isFile.stderr).toBe(`distlab: --out: ${file} is a file, not a folder; give a folder to write the export into\n`);
    const under = runCli(['export', '1', '--out', path.join(file, 'csv'), '--db', recorded.db]);
    expect(under.code).toBe(2);
    expect(under.stderr).toBe(`distlab: --out: the folder ${path.join(file, 'csv')} cannot be created: a part of the path is a file, not a folder\n`);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('an --out folder that cannot be written', (ctx) => {
    const why = canRunUnprivileged();
    if (why) {
      console.warn(`skipped: ${why}`);
      ctx.skip();
      return;
    }
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const db = path.join(dir, 'runs.db');
    copyFileSync(recorded.db, db);
    chmodSync(db, 0o666);
    chmodSync(dir, 0o777);
    const locked = path.join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    const into = runCliUnprivileged(['export', '1', '--out', locked, '--db', db], dir);
    expect(into.code).toBe(2);
    expect(into.stderr).toBe(`distlab: --out: cannot write into ${locked}: permission denied\n`);
    const below = runCliUnprivileged(['export', '1', '--out', path.join(locked, 'csv'), '--db', db], dir);
    expect(below.code).toBe(2);
    expect(below.stderr).toBe(`distlab: --out: the folder ${path.join(locked, 'csv')} cannot be created: permission denied\n`);
    expect(readdirSync(locked)).toEqual([]);
  });

  it('export refuses a folder that already holds its files, naming them, unless --force', () => {
    const outDir = path.join(tempDir(), 'csv');
    mkdirSync(outDir);
    writeFileSync(path.join(outDir, 'messages.csv'), 'precious');
    writeFileSync(path.join(outDir, 'faults.csv'), 'precious');
    const refused = runCli(['export', '1', '--out', outDir, '--db', recorded.db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`distlab: --out: ${outDir} already holds messages.csv, faults.csv; they would be replaced; give --force to replace them, or another folder\n`);
    expect(readFileSync(path.join(outDir, 'messages.csv'), 'utf8')).toBe('precious');
    expect(readdirSync(outDir).sort()).toEqual(['faults.csv', 'messages.csv']);
    const forced = runCli(['export', '1', '--out', outDir, '--db', recorded.db, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(outDir, 'messages.csv'), 'utf8')).toMatch(/^id,src,dest,type,/);
    expect(readdirSync(outDir)).toHaveLength(7);
  });
});

/** An external node: n1 sends n2 one message per type, with the text in its body too; both log in many scripts. */
const TEXT_NODE = `
import readline from 'node:readline';
const types = JSON.parse(process.argv[2]);
let me = '?';
const out = (dest, body) => process.stdout.write(JSON.stringify({ src: me, dest, body }) + '\\n');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line);
  if (msg.body.type !== 'init') return;
  me = msg.body.node_id;
  out(msg.src, { type: 'init_ok', in_reply_to: msg.body.msg_id });
  process.stderr.write('log ' + me + ': ' + types.join(' | ') + '\\n');
  if (me === 'n1') setTimeout(() => types.forEach((type, i) => out('n2', { type, msg_id: i + 1, text: 'body of ' + type })), 300);
});
process.stdin.on('end', () => process.exit(0));
`;

describe('text survives as written', () => {
  it('message types, bodies, node logs and the experiment name, in any script, into the database and the CSV export', () => {
    const dir = tempDir();
    const node = path.join(dir, 'text-node.mjs');
    writeFileSync(node, TEXT_NODE);
    const types = ['héllo→', '＝1+1', '日本語のメッセージ', 'Ελληνικά', 'кириллица', 'עברית', 'العربية', 'हिन्दी', '한국어', '🎉👩‍👩‍👧‍👦', 'é'.repeat(150)];
    const name = 'texte ünïcode 实验 🎉';
    const yaml = `name: ${JSON.stringify(name)}\nseed: 1\nduration: 2s\nnodes: { count: 2, command: ${JSON.stringify([process.execPath, node, JSON.stringify(types)])} }\n`;
    const db = path.join(dir, 'runs.db');
    const run = runCli(['run', experimentFile(dir, yaml), '--db', db, '--json']);
    expectNoStackTrace(run);
    expect(run.code).toBe(0);

    const reader = new Database(db, { readonly: true });
    try {
      expect(reader.prepare('select name from runs where id = 1').pluck().get()).toBe(name);
      const messages = reader.prepare("select type, body from messages where run_id = 1 and src = 'n1' and dest = 'n2' order by id").all() as Array<{ type: string; body: string }>;
      expect(messages.map((m) => m.type)).toEqual(types);
      expect(messages.map((m) => JSON.parse(m.body))).toEqual(types.map((type, i) => ({ type, msg_id: i + 1, text: `body of ${type}` })));
      const logs = reader.prepare("select node, line from logs where run_id = 1 and stream = 'stderr' order by node").all();
      expect(logs).toEqual(['n1', 'n2'].map((n) => ({ node: n, line: `log ${n}: ${types.join(' | ')}` })));
    } finally {
      reader.close();
    }
    expect(JSON.parse(runCli(['runs', '--db', db, '--json']).stdout)[0].name).toBe(name);

    const outDir = path.join(dir, 'csv');
    expect(runCli(['export', '1', '--out', outDir, '--db', db]).code).toBe(0);
    const csv = readFileSync(path.join(outDir, 'messages.csv'), 'utf8');
    const lines = csv.split('\r\n');
    for (const type of types) {
      // '＝' starts a formula in some spreadsheets: that one cell is defused with a leading '.
      const cell = type.startsWith('＝') ? `'${type}` : type;
      expect(lines.some((line) => line.includes(`,n1,n2,${cell},`)), type).toBe(true);
      expect(csv).toContain(`""text"":""body of ${type}""`);
    }
    const logsCsv = readFileSync(path.join(outDir, 'logs.csv'), 'utf8');
    expect(logsCsv).toContain(`,n1,stderr,log n1: ${types.join(' | ')}\r\n`);
  });
});
