// The distlab command line. Commands load their modules on use, so that each starts fast.
import { Command, CommanderError } from 'commander';
import { defaultDatabasePath } from '../store/default-path.js';
import { programInfos } from '../programs/registry.js';
import { EXIT, isUserError } from './user-error.js';

function cli(): Command {
  const program = new Command('distlab')
    .description('A laboratory for distributed systems: real node processes on a faulty localhost network, recorded in SQLite.')
    .exitOverride()
    .showHelpAfterError('(run distlab --help for usage)');
  const dbOption = ['--db <path>', 'the SQLite database of runs', defaultDatabasePath()] as const;

  program
    .command('run')
    .description('run an experiment file (YAML or JSON) and record it')
    .argument('<file>', 'experiment file')
    .option(...dbOption)
    .option('--seed <n>', 'override the seed')
    .option('--duration <d>', 'override the duration, e.g. 5s or 500ms')
    .option('--json', 'print the summary as one JSON object on the last line of stdout')
    .action(async (file: string, opts) => setExit(await (await import('./run-command.js')).runCommand(file, opts)));

  program
    .command('runs')
    .description('list the recorded runs')
    .option(...dbOption)
    .option('--json', 'print JSON')
    .action(async (opts) => setExit((await import('./runs-command.js')).runsCommand(opts)));

  program
    .command('export')
    .description('write a run as CSV files (messages, operations, events, metrics, faults, logs, nodes), JSON Lines, a Perfetto trace or a ShiViz log')
    .argument('<runId>', 'the run to export')
    .requiredOption('--out <dir>', 'the folder to write into')
    .option('--format <format>', 'csv (one file per table), jsonl (one JSON object per row, in run.jsonl), perfetto (Chrome trace-event JSON, in run.trace.json) or shiviz (a vector-clock log for ShiViz, in run.shiviz.log)', 'csv')
    .option('--force', 'replace files of the same names already in the folder')
    .option(...dbOption)
    .action(async (runId: string, opts) => setExit(await (await import('./export-command.js')).exportCommand(runId, opts)));

  program
    .command('compare')
    .description('print the headline measurements of several runs side by side')
    .argument('<runIds...>', 'two or more runs')
    .option(...dbOption)
    .option('--json', 'print JSON')
    .action(async (runIds: string[], opts) => setExit((await import('./compare-command.js')).compareCommand(runIds, opts)));

  program
    .command('sweep')
    .description("run an experiment file's sweep: one run per combination of its sweep values, each repeated, grouped under one sweep id")
    .argument('<file>', 'experiment file with a sweep section')
    .option(...dbOption)
    .option('--parallel <k>', 'runs at a time, 1 to 8', '1')
    .option('--json', 'print the result as one JSON object on the last line of stdout')
    .action(async (file: string, opts) => setExit(await (await import('./sweep-command.js')).sweepCommand(file, opts)));

  program
    .command('hunt')
    .description('simulate an experiment once per seed (random faults drawn from each), group the failing seeds by check, record them, and shrink the shortest failure')
    .argument('<file>', 'experiment file (simulated whatever its mode)')
    .option('--seeds <A..B>', 'the seeds to run, both ends included', '1..100')
    .option('--parallel <k>', 'seeds at a time, each on a worker thread, 1 to 8', '1')
    .option('--stop-at-first', 'stop at the first failing seed (in seed order)')
    .option(...dbOption)
    .option('--json', 'print the result as one JSON object on the last line of stdout')
    .action(async (file: string, opts) => setExit(await (await import('./hunt-command.js')).huntCommand(file, opts)));

  program
    .command('replay')
    .description('print the state of a recorded run at one instant: nodes, roles, suspicions, clocks, partitions, messages in flight')
    .argument('<runId>', 'the run')
    .requiredOption('--at <time>', 'the instant, e.g. 4.5s or 4500ms (a bare number is ms)')
    .option(...dbOption)
    .option('--json', 'print JSON')
    .action(async (runId: string, opts) => setExit((await import('./replay-command.js')).replayCommand(runId, opts)));

  program
    .command('maelstrom')
    .description("Maelstrom's command line: run a Maelstrom node as `maelstrom test` would, as a recorded Distlab run")
    .command('test')
    .description('test a Maelstrom node (--bin, then its arguments) with a workload; prints the checks and exits 0 when valid, 1 when not')
    .argument('[args...]', 'arguments for the node program (after -- if they start with -)')
    .option('-w, --workload <name>', 'echo, unique-ids, broadcast, g-set, g-counter, pn-counter, lin-kv, kafka, txn-rw-register or txn-list-append', 'lin-kv')
    .option('--bin <path>', 'the program that runs a node (required)')
    .option('--node-count <n>', 'how many nodes (default 5)')
    .option('--nodes <list>', 'comma-separated node names; only their number counts')
    .option('--time-limit <seconds>', 'how long the workload runs', '60')
    .option('--rate <r>', 'requests per second across all clients', '5')
    .option('--concurrency <n>', 'clients; "2n" for twice the node count', '1n')
    .option('--latency <ms>', 'mean network latency', '0')
    .option('--latency-dist <dist>', 'constant, uniform or exponential', 'constant')
    .option('--nemesis <faults>', 'comma-separated faults: partition, kill, pause')
    .option('--nemesis-interval <seconds>', 'mean time between fault operations', '10')
    .option('--topology <shape>', 'broadcast topology: grid, line, tree, tree2, tree3, tree4, total (or ring)', 'grid')
    .option('--availability <a>', 'total, or the least fraction of operations that must succeed')
    .option('--consistency-models <models>', 'comma-separated models for the transactional checkers (default strict-serializable)')
    .option('--key-count <n>', 'keys for lin-kv, kafka and transactional workloads')
    .option('--max-txn-length <n>', 'most micro-operations per transaction')
    .option('--max-writes-per-key <n>', "accepted for Maelstrom's sake; Distlab has no such limit")
    .option('--log-stderr', "print the nodes' stderr as it comes")
    .option('--log-net-send', 'accepted; every message is recorded anyway')
    .option('--log-net-recv', 'accepted; every message is recorded anyway')
    .option('--test-count <n>', 'run the test this many times, with seeds S, S+1, …; stop at the first invalid one', '1')
    .option('--seed <n>', 'the seed of the first test (random by default)')
    .option('--print-experiment', 'print the Distlab experiment (YAML) instead of running it')
    .option(...dbOption)
    .action(async (args: string[], opts) => setExit(await (await import('./maelstrom-command.js')).maelstromTestCommand(args, opts)));

  program
    .command('serve')
    .description('serve the lab to a browser on 127.0.0.1; prints the address with its access token')
    .option(...dbOption)
    .option('--port <n>', 'the port to listen on (0 picks a free one)', '0')
    .action(async (opts) => setExit(await (await import('./serve-command.js')).serveCommand(opts)));

  program
    .command('programs')
    .description('list the built-in node programs and their parameters')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const infos = programInfos();
      if (opts.json) process.stdout.write(JSON.stringify(infos) + '\n');
      else
        for (const p of infos) {
          process.stdout.write(`${p.name}\n  ${p.description}\n`);
          for (const s of p.params) process.stdout.write(`  ${s.name} = ${s.default}${s.unit ? ` ${s.unit}` : ''}  ${s.description}\n`);
        }
    });
  return program;
}

function setExit(code: number): void {
  process.exitCode = code;
}

/**
 * A reader that goes away (`distlab run … | head -1`) must not stop the command: from its
 * first failed write on, a stream is left alone (Node drops writes to a destroyed stream),
 * with no unhandled 'error' event and no stack trace. A run goes on, is recorded in full and
 * exits with its own status.
 */
export function survivePipeClosing(stream: NodeJS.WritableStream): void {
  stream.on('error', () => {
    const writable = stream as NodeJS.WriteStream;
    if (!writable.destroyed) writable.destroy();
  });
}

export async function main(argv: string[]): Promise<void> {
  survivePipeClosing(process.stdout);
  survivePipeClosing(process.stderr);
  try {
    await cli().parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT.badInput;
    } else if (isUserError(error)) {
      process.stderr.write(`distlab: ${error.message}\n`);
      process.exitCode = EXIT.badInput;
    } else {
      process.stderr.write(`distlab: internal error: ${(error as Error).message}\n`);
      if (process.env.DISTLAB_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = 1;
    }
  }
}
