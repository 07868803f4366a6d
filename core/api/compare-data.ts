// Everything the lab's compare view needs in one answer: the headline numbers exactly as
// `distlab compare --json` gives them, the table and its CSV made from them, each run's
// experiment as YAML for the side-by-side diff, and the overlaid series.
import type Database from 'better-sqlite3';
import { compareRuns, type ComparedRun } from '../analysis/compare.js';
import { compareIdsProblem } from '../analysis/compare-ids.js';
import { compareTable, type CompareRow } from '../analysis/compare-table.js';
import { compareCsv } from '../analysis/compare-csv.js';
import { runSeries, type RunSeries } from '../analysis/compare-series.js';
import { getRun } from '../store/queries.js';
import type { Experiment } from '../experiment/types.js';
import type { FaultPoint, TrafficBucket } from './contract.js';
import { ApiError } from './errors.js';
import { experimentYaml } from './experiment-text.js';
import { sentPerSlice } from '../analysis/send-rate.js';
import { recordedNodeIds } from '../analysis/run-nodes.js';

export interface ComparedRunInfo {
  runId: number;
  name: string;
  seed: number | null;
  /** The run this one was started from (Run again, Run with changes), if any. */
  originRunId: number | null;
  program: string | null;
  params: Record<string, unknown>;
  nodes: string[];
  experimentYaml: string;
  faults: FaultPoint[];
  /** Messages sent per 100 ms (delivered and lost left at 0), for the space-time diagrams' overview strips. */
  traffic: TrafficBucket[];
}

export interface CompareData {
  /** compareRuns: the same objects `distlab compare --json` prints. */
  runs: ComparedRun[];
  table: CompareRow[];
  csv: string;
  info: ComparedRunInfo[];
  series: RunSeries[];
}

export function compareData(db: Database.Database, runIds: number[]): CompareData {
  const problem = compareIdsProblem(runIds);
  if (problem) throw ApiError.input(problem, [{ path: 'runIds', message: problem }]);
  // Every id is looked up before any work, so a missing one is named at once.
  const details = runIds.map((id) => getRun(db, id));
  const runs = compareRuns(db, runIds);
  const table = compareTable(runs);
  const info: ComparedRunInfo[] = [];
  const series: RunSeries[] = [];
  for (const detail of details) {
    const experiment = detail.experiment as Experiment;
    const durationMs = detail.durationMs ?? experiment.durationMs;
    const traffic: TrafficBucket[] = sentPerSlice(db, detail.id, 100, durationMs).map(([ms, n]) => [ms, n, 0, 0]);
    info.push({
      runId: detail.id,
      name: detail.name,
      seed: detail.seed,
      originRunId: detail.originRunId,
      program: experiment.nodes.program ?? null,
      params: experiment.nodes.params ?? {},
      nodes: recordedNodeIds(db, detail.id, experiment.nodes.count),
      experimentYaml: yamlOf(experiment),
      faults: (db.prepare('SELECT t_us, kind, detail_json, source FROM faults WHERE run_id = ? ORDER BY t_us, rowid').raw().all(detail.id) as Array<[number, string, string | null, FaultPoint[3]]>).map(([t, kind, d, source]) => [t / 1000, kind, d === null ? null : JSON.parse(d), source]),
      traffic,
    });
    series.push(runSeries(db, detail.id, durationMs, traffic, experiment.nodes.count));
  }
  return { runs, table, csv: compareCsv(runs, table), info, series };
}

function yamlOf(experiment: Experiment): string {
  try {
    return experimentYaml(experiment);
  } catch {
    return JSON.stringify(experiment, null, 2);
  }
}
