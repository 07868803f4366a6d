// Messages per second between built-in flood nodes: through the switch with every
// message recorded, against the same nodes over direct loopback TCP.
import Database from 'better-sqlite3';
import { newRun, tempDbPath } from './support.js';
import { runDirect } from './direct.js';

export interface ThroughputResult {
  nodes: number;
  messages: number;
  switchMsgsPerSec: number;
  directMsgsPerSec: number;
  recorded: number;
}

export async function switchThroughput(nodes: number, totalMessages: number): Promise<ThroughputResult> {
  const count = Math.floor(totalMessages / nodes / (nodes - 1)) * (nodes - 1);
  const params = { count, batch: 256, payloadBytes: 16, startDelay: 300 };
  const total = count * nodes;

  const dbPath = tempDbPath();
  const run = newRun({ name: `bench-throughput-${nodes}`, seed: 1, duration: '120s', nodes: { count: nodes, program: 'flood', params } }, dbPath);
  let completed = 0;
  run.on('nodeEvent', (e) => {
    if (e.kind === 'flood-complete' && ++completed === nodes) run.stop('completed');
  });
  const summary = await run.execute();
  const db = new Database(dbPath, { readonly: true });
  const span = db.prepare("select max(t_us) - min(t_us) from events where run_id = ? and kind in ('flood-start', 'flood-complete')").pluck().get(summary.runId) as number;
  const completes = db.prepare("select count(*) from events where run_id = ? and kind = 'flood-complete'").pluck().get(summary.runId) as number;
  const recorded = db.prepare("select count(*) from messages where run_id = ? and type = 'flood'").pluck().get(summary.runId) as number;
  db.close();
  if (completes !== nodes) throw new Error(`only ${completes} of ${nodes} flood nodes completed through the switch`);

  const direct = await runDirect('flood', nodes, params, (seen) => seen.filter((t) => t.record[2] === 'flood-complete').length === nodes);
  const times = direct.filter((t) => t.record[2] === 'flood-start' || t.record[2] === 'flood-complete').map((t) => t.record[0]);
  const directSpanMs = Math.max(...times) - Math.min(...times);

  return { nodes, messages: total, switchMsgsPerSec: total / (span / 1e6), directMsgsPerSec: total / (directSpanMs / 1000), recorded };
}
