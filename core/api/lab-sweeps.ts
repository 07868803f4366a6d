// Sweeps the lab runs itself (Run on a file with a `sweep` section in the editor): the same
// plan as `distlab sweep`, one run at a time through the lab's own run.start, each run
// recorded under the sweep id as it starts, so the runs list and the sweep view follow it.
// Stopping a sweep stops its current run and starts no more; the finished runs are kept.
import type Database from 'better-sqlite3';
import { parseDocument } from 'yaml';
import { ApiError } from './errors.js';
import { experimentYaml } from './experiment-text.js';
import { ExperimentError } from '../experiment/load.js';
import { planSweep, type SweepPlan } from '../experiment/sweep.js';
import { programNames } from '../programs/registry.js';
import { addSweepRun, createSweep, finishSweep } from '../store/sweeps.js';
import { clientIds, nodeIds } from '../experiment/types.js';

export interface SweepRunControl {
  /** Starts one run from its experiment text; resolves with its id once it has one. */
  startRun(text: string): Promise<{ runId: number }>;
  /** Resolves when the run has ended and is saved. */
  ended(runId: number): Promise<void>;
  stopRun(runId: number): void;
}

interface ActiveSweep {
  stopping: boolean;
  currentRunId: number | null;
  done: Promise<void>;
}

/** Whether the text is an experiment with a `sweep` section (a YAML or JSON mapping). */
export function isSweepText(text: string): boolean {
  try {
    const value = parseDocument(text, { logLevel: 'error' }).toJS() as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) && 'sweep' in value;
  } catch {
    return false;
  }
}

/** The plan of a sweep text, or its problems (the same checks as `distlab sweep`). */
export function planSweepText(text: string): SweepPlan {
  const value = parseDocument(text, { logLevel: 'error' }).toJS() as unknown;
  return planSweep(value, { source: 'experiment', programs: programNames() });
}

/** What the editor shows for a valid sweep: the first combination's nodes, and the size of the sweep. */
export function validateSweepText(text: string) {
  try {
    const plan = planSweepText(text);
    const first = plan.combinations[0].experiments[0];
    return {
      ok: true as const,
      name: plan.name,
      nodes: nodeIds(first.nodes.count),
      clients: clientIds(first.workload.clients),
      sweep: { combinations: plan.combinations.length, repeat: plan.repeat, runs: plan.combinations.length * plan.repeat },
    };
  } catch (error) {
    if (error instanceof ExperimentError) return { ok: false as const, problems: error.problems };
    throw error;
  }
}

export class LabSweeps {
  private readonly active = new Map<number, ActiveSweep>();

  constructor(
    private readonly db: Database.Database,
    private readonly control: SweepRunControl,
  ) {}

  /** Plans the sweep (refusing a bad one before anything is recorded), records it, and runs it in the background. */
  start(text: string): { sweepId: number; runs: number } {
    const plan = planSweepText(text);
    const sweepId = createSweep(this.db, plan.name, { axes: plan.axes, repeat: plan.repeat, seed: plan.seed }, Date.now());
    const sweep: ActiveSweep = { stopping: false, currentRunId: null, done: Promise.resolve() };
    this.active.set(sweepId, sweep);
    sweep.done = this.runAll(sweepId, plan, sweep).finally(() => this.active.delete(sweepId));
    return { sweepId, runs: plan.combinations.length * plan.repeat };
  }

  stop(sweepId: number): null {
    const sweep = this.active.get(sweepId);
    if (!sweep) throw ApiError.input(`sweep ${sweepId} is not running in this lab (a sweep started with distlab sweep stops with Ctrl-C in its terminal)`, [{ path: 'sweepId', message: `sweep ${sweepId} is not running here` }]);
    sweep.stopping = true;
    if (sweep.currentRunId !== null) this.control.stopRun(sweep.currentRunId);
    return null;
  }

  get running(): number[] {
    return [...this.active.keys()];
  }

  /** Stops every sweep and waits until each has recorded how it ended. */
  async close(): Promise<void> {
    for (const id of this.active.keys()) this.stop(id);
    await Promise.all([...this.active.values()].map((s) => s.done));
  }

  private async runAll(sweepId: number, plan: SweepPlan, sweep: ActiveSweep): Promise<void> {
    try {
      for (const [combination, c] of plan.combinations.entries()) {
        for (const [repeat, experiment] of c.experiments.entries()) {
          if (sweep.stopping) break;
          const { runId } = await this.control.startRun(experimentYaml(experiment));
          sweep.currentRunId = runId;
          if (sweep.stopping) this.control.stopRun(runId); // stopped while this run was starting
          addSweepRun(this.db, sweepId, { runId, combination, values: c.values, repeat });
          await this.control.ended(runId);
          sweep.currentRunId = null;
        }
      }
    } catch (error) {
      process.emitWarning(`sweep ${sweepId} stopped: ${(error as Error).message}`);
      sweep.stopping = true;
    } finally {
      finishSweep(this.db, sweepId, sweep.stopping ? 'interrupted' : 'completed', Date.now());
    }
  }
}
