// A live fault from the UI is an entry of the experiment file's `faults` list without `at`.
// It is checked by the experiment loader itself, inside the experiment of the run it acts
// on, so that it meets the same rules (and the same node ids) as a scheduled fault.
import { parse } from 'yaml';
import type { Problem } from './contract.js';
import { ApiError } from './errors.js';
import { ExperimentError, parseExperiment } from '../experiment/load.js';
import type { FaultAction, NodeId } from '../experiment/types.js';

const ENTRY_PATH = 'faults[0]';

/**
 * The FaultAction a request stands for; throws an input ApiError naming `fault.…` fields.
 * `membership` is the run's now, after its joins and leaves: a join or leave is checked against it.
 */
export function parseFaultRequest(experimentText: string, fault: Record<string, unknown>, programs: readonly string[], membership?: { members: readonly NodeId[]; ever: readonly NodeId[] }): FaultAction {
  if ('at' in fault) {
    const problem = { path: 'fault.at', message: 'expected no "at": a live fault happens as soon as it is sent' };
    throw ApiError.input(`${problem.path}: ${problem.message}`, [problem]);
  }
  const file = parse(experimentText, { logLevel: 'silent' }) as Record<string, unknown>;
  try {
    const experiment = parseExperiment({ ...file, faults: [{ at: 0, ...fault }] }, { source: 'fault', programs, membership });
    return experiment.faults[0].action;
  } catch (error) {
    if (!(error instanceof ExperimentError)) throw error;
    const problems: Problem[] = error.problems.map((problem) => ({
      path: problem.path.startsWith(ENTRY_PATH) ? `fault${problem.path.slice(ENTRY_PATH.length)}` : problem.path,
      message: problem.message,
    }));
    throw ApiError.input(problems.map((p) => `${p.path}: ${p.message}`).join('\n'), problems);
  }
}
