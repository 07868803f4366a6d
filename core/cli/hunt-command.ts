// distlab hunt FILE --seeds A..B: the experiment simulated once per seed (random faults drawn
// from each), the failing seeds grouped by check and recorded, the shortest failure shrunk.
// Exit codes: 0 no failing seed, 1 failing seeds (or seeds that stopped on an exception),
// 2 bad input, 130 interrupted.
import { loadExperimentFile } from '../experiment/load.js';
import { programNames } from '../programs/registry.js';
import type { HuntView } from '../api/hunt-contract.js';
import { Hunt } from '../simulation/hunt/hunt.js';
import { InlineJudges, WorkerJudges } from '../simulation/hunt/judges.js';
import { parseSeedRange, SeedRangeError, type SeedRange } from '../simulation/hunt/seed-range.js';
import { runMomentAddress } from '../simulation/hunt/lab-address.js';
import { openStore } from '../engine/open-store.js';
import { DatabaseReadOnlyError } from '../store/database.js';
import { MAX_HUNT_PARALLEL } from '../api/schemas.js';
import { EXIT, UserError } from './user-error.js';

export interface HuntCommandOptions {
  db: string;
  seeds: string;
  parallel?: string;
  stopAtFirst?: boolean;
  json?: boolean;
}

/** Failures printed as they are found; the rest are in the groups. */
const FAILURES_SHOWN = 20;
const PLAIN_PROGRESS_EVERY_MS = 1000;

export async function huntCommand(file: string, options: HuntCommandOptions): Promise<number> {
  const seeds = parseSeeds(options.seeds);
  const parallel = parseParallel(options.parallel);
  const experiment = loadExperimentFile(file, { programs: programNames(), mode: 'simulate' });
  checkWritable(options.db);

  const say = (line: string) => progress.line(line);
  const progress = new HuntProgress(process.stderr);
  say(`hunt: ${experiment.name}, seeds ${seeds.from}..${seeds.to}, ${parallel === 1 ? 'one at a time' : `${parallel} at a time`}, failing seeds recorded to ${options.db}`);
  let shown = 0;
  const hunt = new Hunt({
    huntId: 1,
    experiment,
    seeds,
    stopAtFirst: options.stopAtFirst ?? false,
    dbPath: options.db,
    judges: parallel === 1 ? new InlineJudges() : new WorkerJudges(parallel),
    onProgress: (view) => progress.update(view),
    onFailure: (failure) => {
      if (shown++ < FAILURES_SHOWN) say(`seed ${failure.seed}: ${failure.checks.join(', ')} failed${failure.firstFailureMs === null ? '' : ` (first at ${formatMs(failure.firstFailureMs)})`}, recorded as run ${failure.runId}`);
    },
  });

  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(EXIT.interrupted);
    say('interrupted: finishing the seeds under way and starting no more (Ctrl-C again to quit at once)');
    hunt.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let view: HuntView;
  try {
    view = await hunt.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.end();
  }
  process.stdout.write(options.json ? JSON.stringify(jsonResult(view, options.db)) + '\n' : formatHunt(view, options.db));
  if (interrupts > 0) return EXIT.interrupted;
  return view.failures.length > 0 || view.errors.length > 0 ? EXIT.checkFailed : EXIT.ok;
}

function parseSeeds(text: string): SeedRange {
  try {
    return parseSeedRange(text);
  } catch (error) {
    if (error instanceof SeedRangeError) throw new UserError(error.message);
    throw error;
  }
}

function parseParallel(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_HUNT_PARALLEL) throw new UserError(`--parallel: expected a number of seeds at a time from 1 to ${MAX_HUNT_PARALLEL}, got "${text}"`);
  return n;
}

/** Failing seeds are recorded: say now, before any seed runs, if the database cannot take them. */
function checkWritable(dbPath: string): void {
  try {
    openStore(dbPath).close();
  } catch (error) {
    if (error instanceof DatabaseReadOnlyError) throw new UserError(`--db ${error.path}: distlab hunt records the failing seeds in this database, so it needs write access; ${error.reason}`);
    throw error;
  }
}

/** The shortest failing run: the one to open in the lab, at the moment its check first fails. */
function shortestFailure(view: HuntView) {
  const failure = view.failures.find((f) => f.seed === view.shortestSeed);
  if (!failure || failure.runId === null) return null;
  return { seed: failure.seed, runId: failure.runId, checks: failure.checks, firstFailureMs: failure.firstFailureMs, address: runMomentAddress(failure.runId, failure.firstFailureMs) };
}

function jsonResult(view: HuntView, db: string) {
  return { ...view, shortest: shortestFailure(view), db };
}

function formatHunt(view: HuntView, db: string): string {
  const failing = new Set(view.groups.flatMap((g) => g.seeds)).size;
  const lines = [
    `hunt ${view.name}: seeds ${view.seeds.from}..${view.seeds.to}, ${view.done} of ${view.total} run${view.stoppedEarly ? ' (stopped early)' : ''}: ${failing} failing, ${view.errors.length} stopped on an exception`,
  ];
  for (const group of view.groups) lines.push(`  ${group.check}: ${group.seeds.length} seed${group.seeds.length === 1 ? '' : 's'}: ${listSeeds(group.seeds)}`);
  for (const error of view.errors.slice(0, FAILURES_SHOWN)) lines.push(`  error at seed ${error.seed}: ${error.message}`);
  const shortest = shortestFailure(view);
  if (shortest) {
    lines.push(
      `shortest failing run: seed ${shortest.seed}, run ${shortest.runId} (${shortest.checks.join(', ')} failing${shortest.firstFailureMs === null ? '' : `, the first at ${formatMs(shortest.firstFailureMs)}`})`,
      `  open it in the lab at ${shortest.address}: distlab serve --db ${db} prints the lab's address (or open the desktop app), then add ${shortest.address}`,
    );
  }
  const s = view.shrunk;
  if (s) {
    lines.push(
      `shrunk (${s.check} still failing with seed ${s.seed}): ${s.faultsBefore} faults → ${s.faultsAfter}, ${formatMs(s.durationMsBefore)} → ${formatMs(s.durationMsAfter)}; recorded as run ${s.runId}`,
      ...s.experimentText.trimEnd().split('\n').map((line) => `    ${line}`),
    );
  }
  return lines.join('\n') + '\n';
}

function listSeeds(seeds: number[]): string {
  const shown = seeds.slice(0, 30).join(' ');
  return seeds.length > 30 ? `${shown} … and ${seeds.length - 30} more` : shown;
}

function formatMs(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** One redrawn line on a TTY; plain lines at most once a second elsewhere. */
class HuntProgress {
  private drawn = false;
  private lastPlainMs = -Infinity;

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(view: HuntView): void {
    const failing = new Set(view.groups.flatMap((g) => g.seeds)).size;
    const text = `${view.done}/${view.total} seeds, ${failing} failing, ${view.errors.length} errors${view.running && view.done === view.total ? ', shrinking' : ''}`;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${text}`);
      this.drawn = true;
      return;
    }
    const now = performance.now();
    if (now - this.lastPlainMs < PLAIN_PROGRESS_EVERY_MS && view.running) return;
    this.lastPlainMs = now;
    this.out.write(`progress ${text}\n`);
  }

  line(text: string): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.out.write(text + '\n');
  }

  end(): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}
