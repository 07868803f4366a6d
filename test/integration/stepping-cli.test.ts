// A stepped run saved in the lab is an experiment file like any other: `distlab run` on its
// text (as runs.get gives it) records the same rows again.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, it, expect } from 'vitest';
import { Lab } from '../../core/api/lab.js';
import { runCli, tempDir, repoRoot } from './helpers.js';
import { rowHashes } from '../recorded-row-hashes.js';


const KV = `name: stepped-cli
mode: simulate
seed: 21
duration: 2s
nodes: { count: 3, program: raft }
network: { latency: { distribution: uniform, mean: 4ms, jitter: 2ms }, loss: 0.05 }
workload: { kind: kv, rate: 30, clients: 2, keys: 2, timeout: 400ms }
`;


describe('a saved stepped run from the command line', () => {
  it('distlab run of the saved experiment records the same rows as the lab saved', async () => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'runs.db');
    const lab = new Lab({ dbPath, shell: 'browser', presetsDir: path.join(repoRoot, 'resources/experiments') });
    let text: string;
    try {
      const { sessionId } = await lab.invoke('step.open', { text: KV });
      let view = await lab.invoke('step.run', { sessionId, maxSteps: 80 });
      while (view.messages.length < 2) view = await lab.invoke('step.choose', { sessionId, choice: { kind: 'next' } });
      const [first, second] = view.messages;
      view = await lab.invoke('step.choose', { sessionId, choice: { kind: 'duplicate', messageId: first.id } });
      view = await lab.invoke('step.choose', { sessionId, choice: { kind: 'drop', messageId: second.id } });
      const timer = view.timers[view.timers.length - 1];
      view = await lab.invoke('step.choose', { sessionId, choice: { kind: 'fire', node: timer.node, timer: timer.name } });
      view = await lab.invoke('step.run', { sessionId, maxSteps: 50 });
      const { runId } = await lab.invoke('step.save', { sessionId, treeNode: view.current });
      expect(runId).toBe(1);
      text = (await lab.invoke('runs.get', { runId })).experimentText;
    } finally {
      await lab.close();
    }
    const file = path.join(dir, 'stepped.yaml');
    writeFileSync(file, text);
    const out = runCli(['run', file, '--db', dbPath]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^run 2 completed, simulated/);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(rowHashes(db, 2)).toEqual(rowHashes(db, 1));
      expect(db.prepare("SELECT count(*) FROM messages WHERE run_id = 2 AND dup_of IS NOT NULL").pluck().get()).toBeGreaterThanOrEqual(1);
    } finally {
      db.close();
    }
  });
});
