// The checks of Maelstrom's workloads, picked by the experiment's workload kind, each over the
// client history the run recorded. Findings name the operations' ids in `operations`.
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statement-cache.js';
import type { WorkloadSpec } from '../experiment/types.js';
import { loadHistory } from './history.js';
import { checkUniqueIds } from './unique-ids.js';
import { BROADCAST_OPS, checkSetFull, G_SET_OPS, type SetOps } from './set-full.js';
import { checkCounter } from './counter.js';
import { checkKafka } from './kafka.js';
import type { CheckResult } from './run-checks.js';
import { checkLinearizability } from './linearizability.js';
import { checkTransactions } from './elle/check.js';
import type { ConsistencyModel } from './elle/models.js';

export function runWorkloadChecks(db: Database.Database, runId: number, workload: Pick<WorkloadSpec, 'kind' | 'consistencyModels'>): Record<string, CheckResult> {
  const kind = workload.kind;
  switch (kind) {
    case 'unique-ids':
      return { 'unique-ids': { ...checkUniqueIds(loadHistory(db, runId, ['generate'])) } };
    case 'broadcast':
      return { broadcast: setCheck(db, runId, BROADCAST_OPS) };
    case 'g-set':
      return { 'g-set': setCheck(db, runId, G_SET_OPS) };
    case 'g-counter':
    case 'pn-counter':
      return { [kind]: { ...checkCounter(loadHistory(db, runId, ['add', 'read'])) } };
    case 'kafka':
      return { kafka: { ...checkKafka(loadHistory(db, runId, ['send', 'poll', 'commit_offsets', 'list_committed_offsets'])) } };
    case 'lin-kv':
    case 'kv':
      return linearizabilityChecks(db, runId);
    case 'txn-rw-register':
    case 'txn-list-append':
      return transactionChecks(db, runId, kind, workload.consistencyModels);
    case 'echo':
    case 'requests':
    case 'none':
      return {};
  }
}

/** Per key (P-compositionality), with unknown outcomes as Knossos treats them; gives up after a budget. */
function linearizabilityChecks(db: Database.Database, runId: number): Record<string, CheckResult> {
  return { linearizability: { ...checkLinearizability(loadHistory(db, runId, ['read', 'write', 'cas'])) } };
}

/** Elle-style: the dependency graph's cycles, judged against the experiment's consistency models. */
function transactionChecks(db: Database.Database, runId: number, kind: 'txn-rw-register' | 'txn-list-append', models: readonly string[] | undefined): Record<string, CheckResult> {
  const workload = kind === 'txn-rw-register' ? 'rw-register' : 'list-append';
  return { transactions: { ...checkTransactions(loadHistory(db, runId, ['txn']), { workload, ...(models && { consistencyModels: models as ConsistencyModel[] }) }) } };
}

function setCheck(db: Database.Database, runId: number, ops: SetOps): CheckResult {
  const result = checkSetFull(loadHistory(db, runId, [ops.add, 'read']), ops);
  return { ...result, messagesPerOp: messagesPerOp(db, runId) };
}

/** Messages between nodes (not to or from clients) per acknowledged operation, as Maelstrom's net stats count them. */
export function messagesPerOp(db: Database.Database, runId: number): number | null {
  const messages = cachedStatement(db, "select count(*) from messages where run_id = ? and dup_of is null and src glob 'n[0-9]*' and dest glob 'n[0-9]*'").pluck().get(runId) as number;
  const ops = cachedStatement(db, "select count(*) from operations where run_id = ? and outcome = 'ok' and op <> 'topology'").pluck().get(runId) as number;
  return ops === 0 ? null : Math.round((messages / ops) * 100) / 100;
}
