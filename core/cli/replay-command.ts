// distlab replay RUN_ID --at T: the state of a recorded run at one instant.
import { openStore } from '../engine/open-store.js';
import { runSpanMs, stateAt, type RunStateAt } from '../analysis/state-at.js';
import { parseDurationMs, UnitError } from '../experiment/units.js';
import { RunNotFoundError } from '../store/queries.js';
import { UserError } from './user-error.js';

export function replayCommand(runIdText: string, options: { db: string; at: string; json?: boolean }): number {
  if (!/^\d+$/.test(runIdText)) throw new UserError(`replay: expected a run number, got "${runIdText}" (see distlab runs)`);
  const runId = Number(runIdText);
  const tMs = parseAt(options.at);
  const db = openStore(options.db, { forReading: true });
  try {
    const spanMs = runSpanMs(db, runId);
    if (spanMs === null) throw new RunNotFoundError(`no run ${runId} in ${options.db} (see distlab runs)`);
    if (tMs > spanMs) throw new UserError(`--at: ${options.at} is after the end of run ${runId}, which lasted ${(spanMs / 1000).toFixed(3)} s; give a time from 0 to ${Math.floor(spanMs)}ms`);
    const state = stateAt(db, runId, tMs);
    process.stdout.write(options.json ? JSON.stringify(state) + '\n' : describe(state));
    return 0;
  } finally {
    db.close();
  }
}

function parseAt(text: string): number {
  // A bare number is ms, as everywhere in Distlab; "4.5s" and "4500ms" say it outright.
  try {
    return parseDurationMs(/^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text);
  } catch (error) {
    if (error instanceof UnitError) throw new UserError(`--at: expected a time in the run like "4.5s" or "4500ms", got "${text}"`);
    throw error;
  }
}

function describe(s: RunStateAt): string {
  const lines = [`run ${s.runId} at ${(s.t / 1000).toFixed(3)} s`];
  for (const [id, n] of Object.entries(s.nodes)) {
    const parts: string[] = [n.state];
    if (n.role) parts.push(n.term !== undefined ? `${n.role} of term ${n.term}` : n.role);
    else if (n.term !== undefined) parts.push(`term ${n.term}`);
    if (n.leader !== undefined) parts.push(`believes ${n.leader ?? 'no one'} leads`);
    if (n.suspects?.length) parts.push(`suspects ${n.suspects.join(', ')}`);
    if (n.lamport !== undefined) parts.push(`lamport ${n.lamport}`);
    if (n.vector) parts.push(`vector [${Object.entries(n.vector).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([k, v]) => `${k}:${v}`).join(' ')}]`);
    lines.push(`  ${id.padEnd(5)} ${parts.join(', ')}`);
  }
  lines.push(`  network ${s.partitions.length ? `partitioned ${s.partitions[0].map((g) => `{${g.join(' ')}}`).join(' | ')}` : 'not partitioned'}${s.cutLinks.length ? `; cut one way: ${s.cutLinks.map(([a, b]) => `${a}→${b}`).join(', ')}` : ''}`);
  lines.push(`  in flight ${s.inFlight} messages`);
  if (s.lastEvents.length) lines.push('  last events:');
  for (const e of s.lastEvents) lines.push(`    ${(e.tMs / 1000).toFixed(3)}s ${e.node} ${e.kind}${e.detail === null ? '' : ` ${JSON.stringify(e.detail).slice(0, 100)}`}`);
  return lines.join('\n') + '\n';
}
