// The stepping API through Lab.call, as the UI calls it: open, choose, run, goto, save,
// close; a saved path is a simulated run like any other, and re-executing its stored
// experiment records the same rows. Bad input is refused, naming the field.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, it, expect } from 'vitest';
import { errorOf, freshLabs } from '../fresh-labs.js';
import type { StepView } from '../../core/api/stepping-contract.js';
import { parseExperimentText } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { SimRun } from '../../core/simulation/sim-run.js';
import { rowHashes } from '../recorded-row-hashes.js';

const newLab = freshLabs();

const RAFT_KV = `name: stepped-raft
mode: simulate
seed: 7
duration: 3s
nodes: { count: 3, program: raft }
network: { latency: 2ms }
workload: { kind: kv, rate: 20, clients: 1, keys: 2, timeout: 500ms }
`;
const BULLY = `name: stepped-bully
mode: simulate
seed: 1
duration: 2s
nodes: { count: 3, program: bully }
network: { latency: 5ms }
`;



describe('the stepping API', () => {
  it('steps, branches and saves: the saved run is an ordinary simulated run, and its experiment re-executes to the same rows', async () => {
    const { lab, dbPath } = newLab();
    const opened = await lab.invoke('step.open', { text: RAFT_KV });
    expect(opened).toMatchObject({ sessionId: 1, name: 'stepped-raft', seed: 7, current: 0, depth: 0, nowMs: 0, lastStep: null, violation: null, done: false, blocked: [] });
    expect(opened.nodes.map((n) => [n.id, n.state])).toEqual([['n1', 'up'], ['n2', 'up'], ['n3', 'up']]);
    expect(opened.others.some((o) => o.label === 'workload')).toBe(true);
    const { sessionId } = opened;

    let view: StepView = await lab.invoke('step.run', { sessionId, maxSteps: 60 });
    expect(view.depth).toBe(60);
    const inFlight = view.messages[0];
    expect(inFlight).toBeDefined();
    view = await lab.invoke('step.choose', { sessionId, choice: { kind: 'duplicate', messageId: inFlight.id } });
    const copy = view.messages.find((m) => m.copyOf === inFlight.id)!;
    view = await lab.invoke('step.choose', { sessionId, choice: { kind: 'drop', messageId: copy.id } });
    view = await lab.invoke('step.choose', { sessionId, choice: { kind: 'drop', messageId: inFlight.id } });
    view = await lab.invoke('step.run', { sessionId, maxSteps: 40 });
    const leaf = view.current;
    const leafWorld = { ...view, tree: [] };

    // A branch at depth 30 is kept beside the first.
    const back = await lab.invoke('step.goto', { sessionId, treeNode: 30 });
    expect(back.depth).toBe(30);
    const branch = await lab.invoke('step.choose', { sessionId, choice: { kind: 'fire', node: back.timers[0].node, timer: back.timers[0].name } });
    expect(branch.tree[30].children).toHaveLength(2);
    expect({ ...(await lab.invoke('step.goto', { sessionId, treeNode: leaf })), tree: [] }).toEqual(leafWorld);

    const { runId } = await lab.invoke('step.save', { sessionId, treeNode: leaf });
    const saved = await lab.invoke('runs.get', { runId });
    expect(saved.run).toMatchObject({ name: 'stepped-raft', status: 'completed', seed: 7 });
    expect(saved.summary!.checks['record-consistent']).toMatchObject({ valid: true });
    expect(saved.summary!.messages).toMatchObject({ lost: 2, duplicated: 1 });
    expect(saved.summary!.durationMs).toBe(view.nowMs);
    expect(saved.experimentText).toMatch(/^mode: simulate$/m);
    expect(saved.experimentText).toMatch(/^steps:\n {2}- next: 60\n {2}- duplicate: \d+\n/m);
    // The saved run's record is the session's up to the leaf: the same messages with their fates.
    const db = new Database(dbPath, { readonly: true });
    const fates = db.prepare('SELECT id, fate, dup_of FROM messages WHERE run_id = ? AND id IN (?, ?)').all(runId, inFlight.id, copy.id);
    expect(fates).toEqual([
      { id: inFlight.id, fate: 'lost', dup_of: null },
      { id: copy.id, fate: 'lost', dup_of: inFlight.id },
    ]);

    // What `distlab run` does with the saved experiment: the same rows again.
    const againPath = join(mkdtempSync(join(tmpdir(), 'distlab-step-')), 'again.db');
    const again = new SimRun(parseExperimentText(saved.experimentText, { source: 'saved', programs: programNames() }), againPath);
    const summary = await again.execute();
    expect(summary.status).toBe('completed');
    const againDb = new Database(againPath, { readonly: true });
    expect(rowHashes(againDb, again.runId)).toEqual(rowHashes(db, runId));
    againDb.close();
    db.close();

    // The branch saves as its own run, which differs.
    const other = await lab.invoke('step.save', { sessionId, treeNode: branch.current });
    expect(other.runId).toBe(runId + 1);
    const listed = await lab.invoke('runs.list', null);
    expect(listed.find((r) => r.id === other.runId)!.differs).toBe('steps changed');
    // Any two branches compare as any two runs do.
    const compared = await lab.invoke('runs.compare', { runIds: [runId, other.runId] });
    expect(compared.runs.map((r) => r.runId)).toEqual([runId, other.runId]);
    expect(compared.runs[0].label.steps).toMatch(/^\d+ steps, …/);
    expect(compared.runs[1].label.steps).toMatch(/^31 steps, …next, next, fire n\d [\w.]+$/);
    expect(await lab.invoke('step.close', { sessionId })).toBeNull();
    expect(await errorOf(lab.call('step.choose', { sessionId, choice: { kind: 'next' } }))).toMatchObject({ kind: 'input', problems: [{ path: 'sessionId' }] });
  });

  it('records a violation found by stepping as a failing check of the saved run', async () => {
    const { lab } = newLab();
    const { sessionId } = await lab.invoke('step.open', { text: BULLY });
    await lab.invoke('step.choose', { sessionId, choice: { kind: 'fire', node: 'n2', timer: 'bully.answer' } });
    const stopped = await lab.invoke('step.run', { sessionId, maxSteps: 100 });
    expect(stopped.violation).toMatchObject({ check: 'leader-per-term', treeNode: stopped.current });
    const { runId } = await lab.invoke('step.save', { sessionId, treeNode: stopped.current });
    const saved = await lab.invoke('runs.get', { runId });
    expect(saved.summary!.checks['leader-per-term']).toMatchObject({ valid: false, violations: [{ term: 1, nodes: ['n1', 'n2'] }] });
  });

  it('steps the faults that faults.random draws from the seed, and saves them as a concrete list', async () => {
    const { lab } = newLab();
    const text = BULLY.replace('duration: 2s', 'duration: 6s') + 'faults:\n  random: { kill: 0.5, partition: 0.5 }\n  lasts: 1s\n';
    const opened = await lab.invoke('step.open', { text });
    const drawn = opened.others.filter((o) => o.label.startsWith('fault: '));
    expect(drawn.length).toBeGreaterThan(0);
    const { runId } = await lab.invoke('step.save', { sessionId: opened.sessionId, treeNode: 0 });
    const saved = await lab.invoke('runs.get', { runId });
    expect(saved.experimentText).not.toMatch(/random/);
    expect((saved.experimentText.match(/^ {2}- at: /gm) ?? []).length).toBe(drawn.length);
  });

  it('refuses bad input, naming the field', async () => {
    const { lab } = newLab();
    const real = await errorOf(lab.call('step.open', { text: BULLY.replace('mode: simulate\n', '') }));
    expect(real).toMatchObject({ kind: 'input', message: expect.stringMatching(/needs mode: simulate/), problems: [{ path: 'text' }] });
    const command = await errorOf(lab.call('step.open', { text: BULLY.replace('program: bully', 'command: [python3, node.py]') }));
    expect(command).toMatchObject({ kind: 'input', problems: [{ path: 'nodes.command', message: expect.stringMatching(/cannot be simulated/) }] });
    const badSteps = await errorOf(lab.call('step.open', { text: `${BULLY}steps: [ { fire: n7, timer: x } ]\n` }));
    expect(badSteps).toMatchObject({ kind: 'input', problems: [{ path: 'steps[0].fire' }] });
    expect(await errorOf(lab.call('step.open', {}))).toMatchObject({ kind: 'input', problems: [{ path: 'text' }] });

    expect(await errorOf(lab.call('step.choose', { sessionId: 41, choice: { kind: 'next' } }))).toMatchObject({ kind: 'input', message: 'there is no stepping session 41 (it was closed, or never opened)', problems: [{ path: 'sessionId' }] });
    expect(await errorOf(lab.call('step.close', { sessionId: 41 }))).toMatchObject({ kind: 'input', problems: [{ path: 'sessionId' }] });
    const { sessionId } = await lab.invoke('step.open', { text: BULLY });
    expect(await errorOf(lab.call('step.choose', { sessionId, choice: { kind: 'deliver', messageId: 9999 } }))).toMatchObject({ kind: 'input', message: 'message #9999 is not in flight: it was delivered or dropped already, or never sent', problems: [{ path: 'choice.messageId' }] });
    expect(await errorOf(lab.call('step.choose', { sessionId, choice: { kind: 'fire', node: 'n1', timer: 'nope' } }))).toMatchObject({ kind: 'input', problems: [{ path: 'choice.timer' }] });
    expect(await errorOf(lab.call('step.choose', { sessionId, choice: { kind: 'explode' } }))).toMatchObject({ kind: 'input', problems: [{ path: 'choice.kind' }] });
    expect(await errorOf(lab.call('step.choose', { sessionId, choice: { kind: 'drop', messageId: -1 } }))).toMatchObject({ kind: 'input', problems: [{ path: 'choice.messageId' }] });
    expect(await errorOf(lab.call('step.run', { sessionId, maxSteps: 0 }))).toMatchObject({ kind: 'input', problems: [{ path: 'maxSteps' }] });
    expect(await errorOf(lab.call('step.goto', { sessionId, treeNode: 5 }))).toMatchObject({ kind: 'input', problems: [{ path: 'treeNode' }] });
    expect(await errorOf(lab.call('step.save', { sessionId, treeNode: 1.5 }))).toMatchObject({ kind: 'input', problems: [{ path: 'treeNode' }] });
    // The session is unharmed by the refusals.
    expect((await lab.invoke('step.choose', { sessionId, choice: { kind: 'next' } })).depth).toBe(1);
  });

  it('closes open sessions when the lab shuts down', async () => {
    const { lab } = newLab();
    const { sessionId } = await lab.invoke('step.open', { text: BULLY });
    await lab.close();
    expect(await errorOf(lab.call('step.run', { sessionId, maxSteps: 1 }))).toMatchObject({ kind: 'input', problems: [{ path: 'sessionId' }] });
  });
});
