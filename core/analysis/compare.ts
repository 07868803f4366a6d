// Side-by-side headline numbers of several recorded runs, labelled by what differs.
import type Database from 'better-sqlite3';
import { getRun } from '../store/queries.js';
import { measureRun, type RunMeasurements } from './measure-run.js';
import type { Experiment, StepChoice } from '../experiment/types.js';
import { recordedNodeIds } from './run-nodes.js';

export interface ComparedRun {
  runId: number;
  name: string;
  status: string;
  /** What sets this run apart from the others: program, parameters, network, workload. */
  label: Record<string, unknown>;
  latencyMs: { p50: number; p95: number; p99: number; max: number } | null;
  ops: { total: number; ok: number; fail: number; timeout: number } | null;
  measurements: RunMeasurements;
  checks: Record<string, { valid: boolean }>;
}

export function compareRuns(db: Database.Database, runIds: number[]): ComparedRun[] {
  const runs = runIds.map((id) => getRun(db, id));
  const settings = runs.map((r) => describeSettings(r.experiment as Experiment));
  const differing = new Set(
    Object.keys(Object.assign({}, ...settings)).filter((key) => new Set(settings.map((s) => JSON.stringify(s[key]))).size > 1),
  );
  return runs.map((run, i) => {
    const summary = (run.summary ?? {}) as Record<string, any>;
    const experiment = run.experiment as Experiment;
    const label = Object.fromEntries(Object.entries(settings[i]).filter(([key]) => differing.has(key) || key === 'program'));
    return {
      runId: run.id,
      name: run.name,
      status: run.status,
      label,
      latencyMs: summary.latencyMs ?? null,
      ops: summary.ops ?? null,
      measurements: summary.measurements ?? measureRun(db, run.id, recordedNodeIds(db, run.id, experiment.nodes.count), run.durationMs ?? experiment.durationMs),
      checks: summary.checks ?? {},
    };
  });
}

/** The settings a reader compares runs by, flattened to one level. */
function describeSettings(e: Experiment): Record<string, unknown> {
  const net = e.network.defaults;
  const settings: Record<string, unknown> = {
    program: e.nodes.program ?? e.nodes.command?.join(' '),
    nodes: e.nodes.count,
    seed: e.seed,
    latency: `${net.latency.distribution} ${net.latency.meanMs}±${net.latency.jitterMs} ms`,
    loss: net.loss.kind === 'bernoulli' ? net.loss.p : `burst p=${net.loss.p} r=${net.loss.r}`,
    duplicate: net.duplicate,
    reorder: net.reorder,
    workload: e.workload.kind === 'none' ? 'none' : `${e.workload.kind} ${e.workload.rate}/s ×${e.workload.clients} ${e.workload.loop}`,
    faults: e.faults.length,
  };
  // A saved stepped run: branches of one session differ only here, mostly in their last choices.
  if (e.steps) settings.steps = `${e.steps.length} steps, …${e.steps.slice(-3).map(choiceWords).join(', ')}`;
  for (const [key, value] of Object.entries(e.nodes.params)) settings[`params.${key}`] = value;
  return settings;
}

function choiceWords(choice: StepChoice): string {
  if (choice.kind === 'next') return 'next';
  if (choice.kind === 'fire') return `fire ${choice.node} ${choice.timer}`;
  return `${choice.kind} #${choice.messageId}`;
}
