// distlab maelstrom test, run as a user runs it: through bin/distlab.js, with Python nodes.
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { repoRoot, runCli, tempDbPath } from './helpers.js';
import { runAgainText } from '../../core/api/run-again.js';
import { parseExperimentText } from '../../core/experiment/load.js';

const python = (name: string) => path.join(repoRoot, 'test/fixtures/python', name);
const VALID = 'Everything looks good! ヽ(‘ー`)ノ';
const INVALID = 'Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻';

function maelstrom(args: string[], db = tempDbPath()) {
  return { ...runCli(['maelstrom', 'test', ...args, '--db', db], { timeoutMs: 60_000 }), db };
}

describe('distlab maelstrom test', () => {
  it('passes a good echo node: exit 0, the checks, Maelstrom’s verdict, and a run that opens like any other', () => {
    const { code, stdout, stderr, db } = maelstrom(['-w', 'echo', '--bin', python('maelstrom_cli_echo.py'), '--node-count', '3', '--time-limit', '2', '--rate', '40', '--seed', '5']);
    expect(stderr).toContain('maelstrom echo: maelstrom_cli_echo.py, 3 nodes, seed 5');
    expect(code).toBe(0);
    expect(stdout).toMatch(/check {5}echo: valid/);
    expect(stdout.trim().endsWith(VALID)).toBe(true);
    const store = new Database(db, { readonly: true });
    const run = store.prepare('select id, status, experiment_json from runs').get() as { id: number; status: string; experiment_json: string };
    expect(run.status).toBe('completed');
    const experiment = JSON.parse(run.experiment_json);
    expect(experiment.nodes.command).toEqual([python('maelstrom_cli_echo.py')]);
    expect(experiment.workload).toMatchObject({ kind: 'echo', rate: 40, clients: 3 });
    // Run again in the lab starts from the recorded experiment: it must load as it was.
    const [text] = runAgainText(store, run.id, undefined, (t) => parseExperimentText(t, { source: 'again', programs: [] }));
    expect(parseExperimentText(text, { source: 'again', programs: [] })).toMatchObject({ seed: 5, nodes: { count: 3, command: [python('maelstrom_cli_echo.py')] } });
    expect(store.prepare("select count(*) from operations where run_id = ? and op = 'echo' and outcome = 'ok'").pluck().get(run.id)).toBeGreaterThan(30);
    store.close();
  });

  it('passes a good broadcast node, with the topology sent first, --availability total and --log-stderr', () => {
    const { code, stdout, stderr, db } = maelstrom(['-w', 'broadcast', '--bin', python('maelstrom_cli_broadcast.py'), '--node-count', '4', '--time-limit', '3', '--rate', '30', '--topology', 'line', '--availability', 'total', '--log-stderr']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/check {5}availability: valid/);
    expect(stdout.trim().endsWith(VALID)).toBe(true);
    // The nodes' stderr, as they printed it: a line topology n1 - n2 - n3 - n4.
    expect(stderr).toContain("n2: n2 neighbours: ['n1', 'n3']");
    const store = new Database(db, { readonly: true });
    expect(store.prepare("select count(*) from messages where type = 'topology_ok' and fate = 'delivered'").pluck().get()).toBe(4);
    expect(store.prepare("select count(*) from messages where type = 'gossip'").pluck().get()).toBeGreaterThan(10);
    store.close();
  });

  it('fails a broken echo node given an argument: exit 1, what the check found, and the sad verdict', () => {
    const { code, stdout } = maelstrom(['-w', 'echo', '--bin', python('maelstrom_cli_echo.py'), 'wrong', '--node-count', '2', '--time-limit', '1.5', '--rate', '20']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/check {5}echo: INVALID/);
    expect(stdout).toMatch(/ {2}echo found: \{"wrongReplies":\d+/);
    expect(stdout.trim().endsWith(INVALID)).toBe(true);
  });

  it('rejects bad flags before running anything, naming the flag (exit 2)', () => {
    const echo = python('maelstrom_cli_echo.py');
    const cases: Array<[string[], string]> = [
      [['-w', 'echo'], 'distlab: --bin: expected the path of the program that runs a node'],
      [['-w', 'echo', '--bin', path.join(repoRoot, 'README.md')], `--bin ${path.join(repoRoot, 'README.md')}: not executable`],
      [['-w', 'echo', '--bin', echo, '--node-count', 'x'], 'distlab: --node-count: expected an integer from 1 to 1000, got "x"'],
      [['-w', 'echo', '--bin', echo, '--frobnicate'], "error: unknown option '--frobnicate'"],
      [['-w', 'echo', '--bin', echo, '--nemesis', 'meteor'], 'distlab: --nemesis: expected one of partition, kill, pause, got "meteor"'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr, db } = maelstrom(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain(message);
      expect(() => new Database(db, { readonly: true, fileMustExist: true })).toThrow();
    }
  });
});
