// Runs an experiment on the terminal: progress on stderr, faults and warnings as lines, and
// Ctrl-C to stop (twice to quit at once). Shared by the commands that run experiments.
import type { Experiment, FaultAction } from '../experiment/types.js';
import { isSimulated } from '../experiment/types.js';
import { Run, type RunSummary } from '../engine/run.js';
import { SimRun } from '../simulation/sim-run.js';
import type { RecordSink } from '../engine/run-tap.js';
import { DatabaseReadOnlyError } from '../store/database.js';
import { ProgressView } from './progress.js';
import { EXIT, UserError } from './user-error.js';

/** `command` names the command in errors ("run", "maelstrom test"). */
export async function executeRun(command: string, fromFile: Experiment, dbPath: string, tap: RecordSink | null = null): Promise<RunSummary> {
  const simulated = isSimulated(fromFile);
  const run = simulated ? new SimRun(fromFile, dbPath, tap) : new Run(fromFile, dbPath, tap);
  // With its random faults drawn from the final seed: what the record keeps.
  const experiment = run.experiment;
  const view = new ProgressView(process.stderr);
  run.on('started', ({ runId }) => view.line(`run ${runId}: ${experiment.name}, ${experiment.nodes.count} nodes, seed ${experiment.seed}${experiment.seedWasRandom ? ' (random)' : ''}${simulated ? ', simulated' : ''}, recording to ${dbPath}`));
  if (run instanceof Run) run.on('progress', (p) => view.update(p));
  run.on('notice', (n) => view.line(`warning: ${n.node ? `${n.node} ` : ''}${n.text}`));
  run.on('fault', (f) => view.line(`${(f.tUs / 1e6).toFixed(3)}s fault: ${describeFault(f.action)}`));

  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      view.line('interrupted: stopping the nodes and saving the record (Ctrl-C again to quit at once)');
      run.stop('interrupted');
    } else {
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await run.execute().catch((error: unknown) => {
      if (error instanceof DatabaseReadOnlyError) {
        throw new UserError(`--db ${error.path}: distlab ${command} records the run in this database, so it needs write access to the file and its folder; ${error.reason}`);
      }
      throw error;
    });
    view.end();
    return summary;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function describeFault(action: FaultAction): string {
  const { kind, ...rest } = action;
  return Object.keys(rest).length ? `${kind} ${JSON.stringify(rest)}` : kind;
}
