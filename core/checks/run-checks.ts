// Runs every check that applies to a recorded run: its workload's, and those chosen by what
// the run recorded: leader roles, logical clocks, causal deliveries, replicated applies.
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statement-cache.js';
import { countEvents, loadEvents, loadMetrics } from '../analysis/load-recorded.js';
import { checkLeaderPerTerm } from './leader-per-term.js';
import { checkClockCondition, type ClockedEvent, type ReceiveRecord, type SendRecord } from './clock-condition.js';
import { checkCausalDelivery } from './causal.js';
import { checkCommittedNotLost, checkReplicatedLogs } from './replication.js';
import { runWorkloadChecks } from './workload-checks.js';
import type { WorkloadSpec } from '../experiment/types.js';

export interface CheckResult {
  valid: boolean;
  [detail: string]: unknown;
}

/** Beyond this many receives the clock condition is not checked (it reads them all). */
const CLOCK_CHECK_LIMIT = 500_000;

export function runChecks(db: Database.Database, runId: number, nodes: string[], workload: Pick<WorkloadSpec, 'kind' | 'consistencyModels'> = { kind: 'none' }): Record<string, CheckResult> {
  const checks: Record<string, CheckResult> = runWorkloadChecks(db, runId, workload);
  if (countEvents(db, runId, 'role') > 0) checks['leader-per-term'] = { ...checkLeaderPerTerm(loadEvents(db, runId, ['role'])) };

  const receives = countEvents(db, runId, 'recv');
  if (receives > 0 && receives <= CLOCK_CHECK_LIMIT) checks['clock-condition'] = { ...clockCondition(db, runId) };

  const deliveries = loadEvents(db, runId, ['deliver']).filter((e) => typeof e.data?.seq === 'number' && e.data?.vc);
  if (deliveries.length > 0) {
    const records = deliveries.map((e) => ({ node: e.node, origin: String(e.data.origin), seq: Number(e.data.seq), vc: e.data.vc, tUs: e.tUs }));
    const broadcasts = [...new Map(records.map((d) => [`${d.origin}/${d.seq}`, { origin: d.origin, seq: d.seq }])).values()];
    checks['causal-delivery'] = { ...checkCausalDelivery(records, broadcasts, nodes) };
  }

  const applies = loadEvents(db, runId, ['apply']).map((e) => ({ node: e.node, tUs: e.tUs, index: Number(e.data?.index), term: Number(e.data?.term ?? 0), digest: String(e.data?.digest) }));
  if (applies.length > 0) {
    const commitRecords = loadMetrics(db, runId, ['commit_index']).map((m) => ({ node: m.node, tUs: m.tUs, commitIndex: m.value }));
    const commits = commitRecords.length ? commitRecords : undefined;
    checks['logs-agree'] = { ...checkReplicatedLogs(applies, commits) };
    checks['committed-not-lost'] = { ...checkCommittedNotLost(applies, commits) };
  }
  return checks;
}

/**
 * Sends come from the message bodies the switch recorded (not from the receivers), so the
 * check does not trust the runtime it checks. A restarted node starts its clocks again, so
 * each incarnation of a node is its own process in the happened-before order.
 */
function clockCondition(db: Database.Database, runId: number) {
  const starts = cachedStatement(db, "select node, t_us from events where run_id = ? and kind = 'start' order by t_us").raw().all(runId) as Array<[string, number]>;
  const startsOf = new Map<string, number[]>();
  for (const [node, tUs] of starts) startsOf.set(node, [...(startsOf.get(node) ?? []), tUs]);
  const processOf = (node: string, tUs: number) => {
    let incarnation = 0;
    for (const started of startsOf.get(node) ?? []) if (started <= tUs) incarnation++;
    return `${node}#${incarnation}`;
  };
  const sends: SendRecord[] = [];
  const sent = cachedStatement(db, "select src, dest, body ->> '$.lamport' from messages where run_id = ? and corrupted = 0 and fate = 'delivered' and json_valid(body)").raw().all(runId) as Array<[string, string, unknown]>;
  for (const [src, dest, lamport] of sent) if (typeof lamport === 'number') sends.push({ src, dest, lamport });
  // The receive's detail is read in SQL: a JSON.parse per receive cost twice as much.
  const clocked = cachedStatement(
    db,
    "select node, t_us, lamport, kind = 'recv', iif(kind = 'recv', detail_json ->> '$.from', null), iif(kind = 'recv', detail_json ->> '$.sentLamport', null) from events where run_id = ? and lamport is not null order by t_us",
  ).raw().all(runId) as Array<[string, number, number, number, unknown, unknown]>;
  const receives: ReceiveRecord[] = [];
  const events: ClockedEvent[] = [];
  for (const [node, tUs, lamport, isReceive, from, sentLamport] of clocked) {
    events.push({ node: processOf(node, tUs), tUs, lamport });
    if (isReceive && typeof sentLamport === 'number') receives.push({ node, from: String(from), sentLamport, lamport });
  }
  return checkClockCondition(sends, receives, events);
}
