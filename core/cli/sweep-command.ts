// distlab sweep FILE: one run per combination of the file's sweep values and repeat, grouped
// under one sweep id, then the headline measurements of each combination over its repeats.
import { readExperimentObject } from '../experiment/load.js';
import { planSweep, type SweepPlan } from '../experiment/sweep.js';
import type { Experiment } from '../experiment/types.js';
import { isSimulated } from '../experiment/types.js';
import { programNames } from '../programs/registry.js';
import { Run, type RunSummary } from '../engine/run.js';
import { SimRun } from '../simulation/sim-run.js';
import { openStore } from '../engine/open-store.js';
import { SWEEP_MEASURES, summarizeCombinations, type SweepCombinationResult } from '../analysis/sweep-summary.js';
import { addSweepRun, createSweep, finishSweep } from '../store/sweeps.js';
import { DatabaseReadOnlyError } from '../store/database.js';
import { EXIT, UserError } from './user-error.js';

export interface SweepCommandOptions {
  db: string;
  json?: boolean;
  parallel?: string;
}

interface Job {
  combination: number;
  values: Record<string, unknown>;
  repeat: number;
  experiment: Experiment;
}

export interface SweepResult {
  sweepId: number;
  name: string;
  status: 'completed' | 'interrupted';
  seed: number;
  repeat: number;
  axes: SweepPlan['axes'];
  combinations: SweepCombinationResult[];
}

export async function sweepCommand(file: string, options: SweepCommandOptions): Promise<number> {
  const plan = planSweep(readExperimentObject(file), { source: file, programs: programNames() });
  const parallel = parseParallel(options.parallel);
  // Each run draws its random faults from its own seed.
  const jobs: Job[] = plan.combinations.flatMap((c, combination) => c.experiments.map((experiment, repeat) => ({ combination, values: c.values, repeat, experiment })));

  const db = openStore(options.db);
  let sweepId: number;
  try {
    sweepId = createSweep(db, plan.name, { axes: plan.axes, repeat: plan.repeat, seed: plan.seed }, Date.now());
  } catch (error) {
    db.close();
    if (error instanceof DatabaseReadOnlyError) throw new UserError(`--db ${error.path}: distlab sweep records its runs in this database, so it needs write access; ${error.reason}`);
    throw error;
  }
  const say = (line: string) => process.stderr.write(line + '\n');
  say(`sweep ${sweepId}: ${plan.name}, ${plan.combinations.length} combinations × ${plan.repeat} repeat${plan.repeat === 1 ? '' : 's'} = ${jobs.length} runs, ${parallel} at a time, recording to ${options.db}`);

  const active = new Set<Run | SimRun>();
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(EXIT.interrupted);
    stopping = true;
    say('interrupted: stopping the runs under way and starting no more; the finished ones are kept (Ctrl-C again to quit at once)');
    for (const run of active) run.stop('interrupted');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const summaries: Array<{ job: Job; summary: RunSummary }> = [];
  try {
    let next = 0;
    const worker = async () => {
      while (!stopping && next < jobs.length) {
        const index = next++;
        const job = jobs[index];
        const run = isSimulated(job.experiment) ? new SimRun(job.experiment, options.db) : new Run(job.experiment, options.db);
        active.add(run);
        run.on('started', ({ runId }) => {
          addSweepRun(db, sweepId, { runId, combination: job.combination, values: job.values, repeat: job.repeat });
          say(`run ${runId} (${index + 1}/${jobs.length}): ${describeValues(job.values)}, repeat ${job.repeat + 1}, seed ${job.experiment.seed}`);
        });
        const summary = await run.execute();
        active.delete(run);
        summaries.push({ job, summary });
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
    const status = stopping ? 'interrupted' : 'completed';
    finishSweep(db, sweepId, status, Date.now());
    const result = summarize(db, sweepId, plan, status, summaries);
    process.stdout.write(options.json ? JSON.stringify(result) + '\n' : formatTable(result));
    if (stopping) return EXIT.interrupted;
    const failed = summaries.some(({ summary }) => summary.status !== 'completed' || Object.values(summary.checks).some((c) => !c.valid));
    return failed ? EXIT.checkFailed : EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    db.close();
  }
}

function parseParallel(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 8) throw new UserError(`--parallel: expected a number of runs at a time from 1 to 8, got "${text}"`);
  return n;
}

function summarize(db: ReturnType<typeof openStore>, sweepId: number, plan: SweepPlan, status: SweepResult['status'], done: Array<{ job: Job; summary: RunSummary }>): SweepResult {
  const combinations = summarizeCombinations(
    db,
    plan.combinations.map((c, index) => ({
      values: c.values,
      runs: done
        .filter((d) => d.job.combination === index)
        .map((d) => ({ runId: d.summary.runId, repeat: d.job.repeat, seed: d.summary.seed, status: d.summary.status, checksValid: Object.values(d.summary.checks).every((check) => check.valid) })),
    })),
  );
  return { sweepId, name: plan.name, status, seed: plan.seed, repeat: plan.repeat, axes: plan.axes, combinations };
}

function describeValues(values: Record<string, unknown>): string {
  return Object.entries(values).map(([path, value]) => `${path}=${JSON.stringify(value)}`).join(' ');
}

function formatTable(result: SweepResult): string {
  const shown = SWEEP_MEASURES.map((m) => m.key).filter((name) => result.combinations.some((c) => c.measurements[name]));
  const header = [...result.axes.map((a) => a.path), 'runs', 'checks valid', ...shown.map((name) => `${name} (median)`)];
  const rows = result.combinations.map((c) => [
    ...result.axes.map((a) => JSON.stringify(c.values[a.path])),
    c.runIds.join(' ') || '—',
    `${c.checksValid}/${c.runIds.length}`,
    ...shown.map((name) => (c.measurements[name] ? String(c.measurements[name].median) : '—')),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [`sweep ${result.sweepId} ${result.status}: ${result.name}, seeds from ${result.seed}, ${result.repeat} repeat${result.repeat === 1 ? '' : 's'} each`, line(header), ...rows.map(line)].join('\n') + '\n';
}
