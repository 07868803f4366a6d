// Measurements and checks computed from a complete record: the same for real and simulated runs.
import type Database from 'better-sqlite3';
import type { Experiment } from '../experiment/types.js';
import { nodeIds } from '../experiment/types.js';
import { measureRun } from '../analysis/measure-run.js';
import { runChecks, type CheckResult } from '../checks/run-checks.js';
import { checkRecordConsistent } from '../checks/record-consistent.js';
import type { MessageCounts } from './message-counts.js';
import type { RunMeasurements } from '../analysis/measure-run.js';
import { summarizeLatency, type LatencySummary } from '../analysis/quantiles.js';
import { checkAvailability } from '../checks/availability.js';
import type { WorkloadStats } from '../workloads/workload.js';

export interface Analyzed {
  durationMs: number;
  messages: MessageCounts;
  checks: Record<string, CheckResult>;
  measurements: RunMeasurements | null;
  problems: string[];
}

/**
 * `nodes`: every node that was ever a member (joined nodes too); the initial ones by default.
 * `measure`: false for a run judged on its checks alone (a seed of a hunt), which skips the
 * measurements, about a third of the analysis.
 */
export function analyzeRecord(db: Database.Database, runId: number, experiment: Experiment, summary: Analyzed, nodes: string[] = nodeIds(experiment.nodes.count), measure = true): void {
  try {
    summary.checks['record-consistent'] = checkRecordConsistent(db, runId, summary.messages);
    if (measure) summary.measurements = measureRun(db, runId, nodes, summary.durationMs);
    Object.assign(summary.checks, runChecks(db, runId, nodes, experiment.workload));
  } catch (error) {
    summary.problems.push(`analysis failed: ${(error as Error).message}`);
  }
}

/** What every run's summary says of its clients, real or simulated: the workload's own checks, operations and latency. */
export function clientSummary(experiment: Experiment, stats: WorkloadStats | undefined): { checks: Record<string, CheckResult>; ops: { total: number; ok: number; fail: number; timeout: number }; latencyMs: LatencySummary | null } {
  const checks: Record<string, CheckResult> = {};
  if (stats && experiment.workload.kind === 'echo') checks.echo = { valid: stats.wrongReplies === 0, wrongReplies: stats.wrongReplies, corruptedInTransit: stats.corruptedReplies, ok: stats.ok };
  const availability = experiment.workload.availability;
  if (availability !== undefined) checks.availability = checkAvailability(availability, stats ?? { ok: 0, fail: 0, timeout: 0 });
  return {
    checks,
    ops: { total: stats ? stats.ok + stats.fail + stats.timeout : 0, ok: stats?.ok ?? 0, fail: stats?.fail ?? 0, timeout: stats?.timeout ?? 0 },
    latencyMs: stats ? summarizeLatency(stats.latenciesMs) : null,
  };
}
