// The program a run's nodes ran and that program's parameter defaults, asked of the lab once
// per run: charts need them to read telemetry (phi accrual's threshold, for one).
import type { ResultOf } from '../../../../../core/api/contract';
import { transport } from '../../../transport';
import { programOfExperiment, type ProgramChoice } from './experiment-program.js';

export type ParamDefaults = ResultOf<'programs.list'>[number]['params'];

export interface RunProgram {
  choice: ProgramChoice;
  defaults: ParamDefaults;
}

const byRun = new Map<number, Promise<RunProgram>>();
let programs: Promise<ResultOf<'programs.list'>> | null = null;

export function runProgram(runId: number): Promise<RunProgram> {
  let found = byRun.get(runId);
  if (!found) {
    programs ??= transport().call('programs.list', null);
    found = Promise.all([transport().call('runs.get', { runId }), programs]).then(([detail, list]) => {
      const choice = programOfExperiment(detail.experimentText);
      return { choice, defaults: list.find((p) => p.name === choice.program)?.params ?? [] };
    });
    // A failed question is asked again next time rather than remembered.
    found.catch(() => {
      byRun.delete(runId);
      programs = null;
    });
    byRun.set(runId, found);
  }
  return found;
}
