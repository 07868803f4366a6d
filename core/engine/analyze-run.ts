// Measurements and checks computed from a complete record: the same for real and simulated runs.
import type Database from 'better-sqlite3';
import type { Experiment } from '../experiment/types.js';
import { nodeIds } from '../experiment/types.js';
import { measureRun } from '../analysis/measure-run.js';
import { runChecks, type CheckResult } from '../checks/run-checks.js';
import { checkRecordConsistent } from '../checks/record-consistent.js';
import type { MessageCounts } from './message-counts.js';
import type { RunMeasurements } from '../analysis/measure-run.js';

export interface Analyzed {
  durationMs: number;
  messages: MessageCounts;
  checks: Record<string, CheckResult>;
  measurements: RunMeasurements | null;
  problems: string[];
}

/** `nodes`: every node that was ever a member (joined nodes too); the initial ones by default. */
export function analyzeRecord(db: Database.Database, runId: number, experiment: Experiment, summary: Analyzed, nodes: string[] = nodeIds(experiment.nodes.count)): void {
  try {
    summary.checks['record-consistent'] = checkRecordConsistent(db, runId, summary.messages);
    summary.measurements = measureRun(db, runId, nodes, summary.durationMs);
    Object.assign(summary.checks, runChecks(db, runId, nodes, experiment.workload));
  } catch (error) {
    summary.problems.push(`analysis failed: ${(error as Error).message}`);
  }
}
