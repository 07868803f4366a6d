// `distlab maelstrom test`: Maelstrom's test command, run as an ordinary Distlab experiment
// (recorded like any run, so it opens in the lab), with Maelstrom's verdict at the end.
import { randomInt } from 'node:crypto';
import { parseExperiment } from '../experiment/load.js';
import { programNames } from '../programs/registry.js';
import type { RunSummary } from '../engine/run.js';
import type { RecordSink } from '../engine/run-tap.js';
import { experimentYaml } from '../api/experiment-text.js';
import { executeRun } from './execute-run.js';
import { formatSummary } from './run-command.js';
import { maelstromExperiment } from './maelstrom-experiment.js';
import { readMaelstromFlags, type MaelstromFlags } from './maelstrom-options.js';
import { EXIT } from './user-error.js';

export const VALID_VERDICT = 'Everything looks good! ヽ(‘ー`)ノ';
export const INVALID_VERDICT = 'Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻';

export interface MaelstromCommandFlags extends MaelstromFlags {
  db: string;
  printExperiment?: boolean;
}

export async function maelstromTestCommand(args: string[], flags: MaelstromCommandFlags): Promise<number> {
  const options = readMaelstromFlags(flags, args);
  for (const note of options.notes) process.stderr.write(`note: ${note}\n`);
  const firstSeed = options.seed ?? randomInt(0, 2 ** 31);
  for (let i = 0; i < options.testCount; i++) {
    const file = maelstromExperiment(options, firstSeed + i);
    const experiment = parseExperiment(file, { source: 'maelstrom test', programs: programNames() });
    experiment.seedWasRandom = options.seed === undefined;
    if (flags.printExperiment) {
      // One YAML document per test.
      process.stdout.write(`${i > 0 ? '---\n' : ''}${experimentYaml(experiment)}`);
      continue;
    }
    const summary = await executeRun('maelstrom test', experiment, flags.db, options.logStderr ? stderrEcho() : null);
    process.stdout.write(`${formatSummary(summary)}\n${findings(summary)}`);
    if (summary.status === 'interrupted') return EXIT.interrupted;
    const valid = summary.status === 'completed' && Object.values(summary.checks).every((check) => check.valid);
    process.stdout.write(`\n${valid ? VALID_VERDICT : INVALID_VERDICT}\n`);
    // As Jepsen's --test-count: stop at the first invalid test.
    if (!valid) return EXIT.checkFailed;
  }
  return EXIT.ok;
}

/** What the failed checks found, in full (the summary above cuts it short), and where the run is. */
function findings(s: RunSummary): string {
  const lines = [`run ${s.runId} is recorded: open it in the lab for its messages, operations and faults`];
  for (const [name, check] of Object.entries(s.checks)) {
    if (check.valid) continue;
    const { valid: _valid, ...found } = check;
    lines.push(`  ${name} found: ${JSON.stringify(found)}`);
  }
  if (s.status !== 'completed') lines.push(`  the run ${s.status}: ${s.problems.join('; ') || 'see its record'}`);
  return lines.join('\n') + '\n';
}

/** --log-stderr: the nodes' stderr lines, as they come, on our stderr. */
function stderrEcho(): RecordSink {
  const ignore = () => {};
  return {
    message: ignore,
    operation: ignore,
    event: ignore,
    metric: ignore,
    fault: ignore,
    log: (_tUs, node, stream, line) => {
      if (stream === 'stderr') process.stderr.write(`${node}: ${line}\n`);
    },
  };
}
