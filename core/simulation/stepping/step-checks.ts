// The run's checks on the record so far, after a step. Only what a prefix of a run can break
// is judged: the checks of what nodes did (one leader per term, the clock condition, causal
// order, replicated logs) and the workload checks of safety. Checks that need the run's end
// (final reads of broadcast, g-set and the counters; availability; the record's counts, while
// messages are still on their way) wait for a saved run. A client history is judged only when
// no operation is open: an open write that already took effect would make a completed read
// look impossible.
import type Database from 'better-sqlite3';
import type { Experiment, WorkloadKind } from '../../experiment/types.js';
import { nodeIds } from '../../experiment/types.js';
import { runChecks, type CheckResult } from '../../checks/run-checks.js';
import { clientSummary } from '../../engine/analyze-run.js';
import type { Workload } from '../../workloads/workload.js';

const JUDGED_AT_THE_END: ReadonlySet<WorkloadKind> = new Set(['broadcast', 'g-set', 'g-counter', 'pn-counter']);
const JUDGED_WITH_NO_OPEN_OPERATION: ReadonlySet<WorkloadKind> = new Set(['lin-kv', 'kv', 'txn-rw-register', 'txn-list-append']);

export function checksSoFar(db: Database.Database, runId: number, experiment: Experiment, workload: Workload | null): Record<string, CheckResult> {
  const kind = experiment.workload.kind;
  const judged = JUDGED_AT_THE_END.has(kind) || (JUDGED_WITH_NO_OPEN_OPERATION.has(kind) && (workload?.outstanding ?? 0) > 0) ? 'none' : kind;
  const checks = runChecks(db, runId, nodeIds(experiment.nodes.count), { kind: judged, consistencyModels: experiment.workload.consistencyModels });
  const echo = clientSummary(experiment, workload?.stats).checks.echo;
  if (echo) checks.echo = echo;
  return checks;
}

/** One line of what a check found, for the step view. */
export function checkDetail(name: string, result: CheckResult): string {
  if (name === 'leader-per-term') {
    const violations = (result.violations ?? []) as Array<{ term: number; nodes: string[] }>;
    if (violations.length > 0) return violations.map((v) => `term ${v.term}: ${v.nodes.join(' and ')} both leaders`).join('; ');
    return `${String(result.terms)} terms, ${String(result.leaders)} leaders`;
  }
  if (name === 'protocol-error') return `${String(result.node)} ${String(result.step)}`;
  const { valid: _valid, ...rest } = result;
  const text = JSON.stringify(rest);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
