// A hunt: one experiment simulated once per seed of a range, the failing seeds grouped by the
// check that fails and recorded into the store, then the shortest failure shrunk. Seeds are
// judged by one thread or K workers, but their verdicts are taken in seed order, so the
// result (and where --stop-at-first stops) does not depend on K.
import type { Experiment } from '../../experiment/types.js';
import type { HuntFailure, HuntView } from '../../api/hunt-contract.js';
import { experimentYaml } from '../../api/experiment-text.js';
import { withRandomFaults } from '../../experiment/random-faults.js';
import type { Judges } from './judges.js';
import type { SeedVerdict } from './seed-verdict.js';
import { seedCount, type SeedRange } from './seed-range.js';
import { shrinkFailure } from './shrink.js';
import { recordSeed } from './record-seed.js';

/** Failing seeds listed in full (with their experiment text); the groups name every one. */
export const MAX_LISTED_FAILURES = 200;
/** Failing seeds recorded into the store as they are found; the shortest and the shrunk case always are. */
export const MAX_RECORDED_FAILURES = 50;
/** Progress goes out at most this often while the hunt runs, and once at its end. */
const PROGRESS_EVERY_MS = 250;

export interface HuntOptions {
  huntId: number;
  experiment: Experiment;
  seeds: SeedRange;
  stopAtFirst: boolean;
  /** The store failing seeds are recorded into. */
  dbPath: string;
  judges: Judges;
  onProgress?: (view: HuntView) => void;
  /** Each failing seed once its verdict is taken (in seed order), and the shrunk case. */
  onFailure?: (failure: HuntFailure) => void;
}

export class Hunt {
  readonly view: HuntView;
  /** No more seeds: the user stopped the hunt, or the first failure was found with stopAtFirst. */
  private stopRequested = false;
  private stoppedByUser = false;
  private next: number;
  /** Verdicts that came back before an earlier seed's: held until their turn. */
  private readonly pending = new Map<number, SeedVerdict>();
  private turn: number;
  private takingVerdicts = true;
  private shortest: { verdict: SeedVerdict; failure: HuntFailure | null } | null = null;
  private recording: Promise<void> = Promise.resolve();
  private recorded = 0;
  private lastProgressMs = -Infinity;

  constructor(private readonly options: HuntOptions) {
    const { seeds, experiment, huntId } = options;
    this.next = seeds.from;
    this.turn = seeds.from;
    this.view = {
      huntId,
      name: experiment.name,
      seeds: { ...seeds },
      total: seedCount(seeds),
      done: 0,
      running: true,
      stoppedEarly: false,
      failures: [],
      groups: [],
      shrunk: null,
      errors: [],
      shortestSeed: null,
    };
  }

  /** Starts no more seeds; a shrink under way ends with the smallest case so far. */
  stop(): void {
    this.stopRequested = true;
    this.stoppedByUser = true;
    if (this.view.running) this.view.stoppedEarly = true;
  }

  async run(): Promise<HuntView> {
    try {
      try {
        await Promise.all(Array.from({ length: Math.min(this.options.judges.size, this.view.total) }, () => this.lane()));
      } catch (error) {
        // A worker died (out of memory, say): the hunt ends there, with what it found so far.
        this.view.errors.push({ seed: this.turn, message: `the hunt stopped at this seed: ${(error as Error).message}` });
        this.stopRequested = true;
        this.stoppedByUser = true;
        this.view.stoppedEarly = true;
      }
      await this.recording;
      await this.recordShortest();
      if (this.shortest && !this.stoppedByUser) await this.shrink();
    } finally {
      await this.options.judges.close();
      this.view.running = false;
      this.progress(true);
    }
    return this.view;
  }

  /** Judges seed after seed until the range is done or the hunt stops. */
  private async lane(): Promise<void> {
    while (!this.stopRequested && this.next <= this.options.seeds.to) {
      const seed = this.next++;
      const verdict = await this.options.judges.judge(this.options.experiment, seed);
      this.pending.set(seed, verdict);
      this.takeVerdictsInOrder();
    }
  }

  private takeVerdictsInOrder(): void {
    while (this.takingVerdicts && this.pending.has(this.turn)) {
      const verdict = this.pending.get(this.turn)!;
      this.pending.delete(this.turn);
      this.turn++;
      this.take(verdict);
    }
    this.progress(false);
  }

  private take(verdict: SeedVerdict): void {
    this.view.done++;
    if (verdict.error !== null) {
      this.view.errors.push({ seed: verdict.seed, message: verdict.error });
      return;
    }
    if (verdict.failing.length === 0) return;
    for (const check of verdict.failing) {
      const group = this.view.groups.find((g) => g.check === check);
      if (group) group.seeds.push(verdict.seed);
      else this.view.groups.push({ check, seeds: [verdict.seed] });
    }
    const failure = this.view.failures.length < MAX_LISTED_FAILURES ? this.listFailure(verdict) : null;
    if (!this.shortest || shorter(verdict, this.shortest.verdict)) {
      this.shortest = { verdict, failure };
      this.view.shortestSeed = verdict.seed;
    }
    if (failure && this.recorded < MAX_RECORDED_FAILURES) {
      this.recorded++;
      this.recording = this.recording.then(async () => {
        failure.runId = (await recordSeed(this.options.experiment, verdict.seed, this.options.dbPath)).runId;
        this.options.onFailure?.(failure);
      });
    }
    if (this.options.stopAtFirst) {
      // Later seeds may be judged already (by other workers): they are not taken, so K does not change the result.
      this.takingVerdicts = false;
      this.stopRequested = true;
      this.view.stoppedEarly = this.view.done < this.view.total;
    }
  }

  private listFailure(verdict: SeedVerdict): HuntFailure {
    const failure: HuntFailure = {
      seed: verdict.seed,
      checks: verdict.failing,
      runId: null,
      firstFailureMs: failureTime(verdict),
      durationMs: verdict.virtualMs,
      experimentText: experimentYaml(withRandomFaults({ ...this.options.experiment, seed: verdict.seed, seedWasRandom: false })),
    };
    this.view.failures.push(failure);
    return failure;
  }

  /** The shortest failure is the one the lab opens: recorded even past the cap. */
  private async recordShortest(): Promise<void> {
    if (!this.shortest) return;
    const { verdict } = this.shortest;
    const failure = this.shortest.failure ?? this.listFailure(verdict);
    this.shortest.failure = failure;
    if (failure.runId === null) failure.runId = (await recordSeed(this.options.experiment, verdict.seed, this.options.dbPath)).runId;
  }

  private async shrink(): Promise<void> {
    const { verdict } = this.shortest!;
    const check = firstFailingCheck(verdict);
    this.progress(true);
    const result = await shrinkFailure(this.options.experiment, verdict.seed, check, {
      judge: (experiment, seed) => this.options.judges.judge(experiment, seed),
      stopped: () => this.stoppedByUser,
      failedAtMs: verdict.firstFailureMs[check] ?? null,
    });
    const summary = await recordSeed(result.experiment, result.seed, this.options.dbPath, `${result.experiment.name} (shrunk)`);
    this.view.shrunk = {
      seed: result.seed,
      check,
      runId: summary.runId,
      faultsBefore: result.before.faults,
      faultsAfter: result.after.faults,
      durationMsBefore: result.before.durationMs,
      durationMsAfter: result.after.durationMs,
      experimentText: experimentYaml(result.experiment),
    };
  }

  private progress(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastProgressMs < PROGRESS_EVERY_MS) return;
    this.lastProgressMs = now;
    this.options.onProgress?.(this.view);
  }
}

/** The check that fails first: the earliest time a failing check names, else the summary's first failing check. */
export function firstFailingCheck(verdict: SeedVerdict): string {
  let first = verdict.failing[0];
  let firstMs: number | null = null;
  for (const check of verdict.failing) {
    const ms = verdict.firstFailureMs[check] ?? null;
    if (ms !== null && (firstMs === null || ms < firstMs)) {
      first = check;
      firstMs = ms;
    }
  }
  return first;
}

/** The run ms at which the first failing check first fails; null when no failing check can tell. */
function failureTime(verdict: SeedVerdict): number | null {
  return verdict.firstFailureMs[firstFailingCheck(verdict)] ?? null;
}

/** Shorter: fails sooner (a known time before an unknown one), then has fewer faults; the lower seed on a tie. */
function shorter(a: SeedVerdict, b: SeedVerdict): boolean {
  const ta = failureTime(a) ?? a.virtualMs;
  const tb = failureTime(b) ?? b.virtualMs;
  if (ta !== tb) return ta < tb;
  if (a.faults !== b.faults) return a.faults < b.faults;
  return a.seed < b.seed;
}
