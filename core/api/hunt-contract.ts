// The lab's hunt API: one experiment simulated once per seed (`distlab hunt` in the lab),
// the failing seeds grouped by the check that fails, each recorded so it can be replayed.
import type { RunId } from './contract.js';

export interface HuntFailure {
  seed: number;
  /** The checks that failed, by name (leader-per-term, linearizable, …). */
  checks: string[];
  /** The recorded simulated run of this seed (failing seeds are recorded; passing ones are not). */
  runId: RunId | null;
  /** Run time at which the check that fails first first fails (the earliest a failing check names), when one can tell. */
  firstFailureMs: number | null;
  /** The run's virtual duration. */
  durationMs: number;
  /** The seed's experiment with its random faults written out: run it as real processes to see if the bug is real there too. */
  experimentText: string;
}

export interface HuntGroup {
  check: string;
  seeds: number[];
}

export interface HuntShrunk {
  seed: number;
  check: string;
  runId: RunId | null;
  faultsBefore: number;
  faultsAfter: number;
  durationMsBefore: number;
  durationMsAfter: number;
  experimentText: string;
}

export interface HuntView {
  huntId: number;
  name: string;
  seeds: { from: number; to: number };
  total: number;
  done: number;
  running: boolean;
  /** Set when the hunt ended early: stopped by the user, or at the first failure (stopAtFirst). */
  stoppedEarly: boolean;
  /** The failing seeds in seed order, the first 200 of them (the groups list every one); the first 50 and the shortest are recorded. */
  failures: HuntFailure[];
  groups: HuntGroup[];
  /** The smallest failing case found from the shortest failing run, once shrinking is done. */
  shrunk: HuntShrunk | null;
  /** Seeds whose run stopped on an exception, with the step that caused it. */
  errors: Array<{ seed: number; message: string }>;
  /**
   * The failing seed the lab opens first: the one whose check fails soonest (then fewest
   * faults, then lowest seed); shrinking starts from it. Null while none has failed.
   */
  shortestSeed: number | null;
}

export interface HuntMethods {
  /**
   * Checks the text (simulated whatever its mode; `to` at or after `from`; parallel 1 to 8
   * worker threads, 1 by default) and resolves at once with the hunt's view, `running`; the
   * hunt goes on in the engine, failing seeds recorded as it finds them.
   */
  'hunt.start': { arg: { text: string; from: number; to: number; parallel?: number; stopAtFirst?: boolean }; result: HuntView };
  /** A hunt of this lab, running or ended (until the lab closes). */
  'hunt.get': { arg: { huntId: number }; result: HuntView };
  /** Starts no more seeds (the ones under way finish) and skips shrinking; the view ends with stoppedEarly. */
  'hunt.stop': { arg: { huntId: number }; result: null };
}

/** Sent as a hunt goes on (a few times a second at most) and once when it ends. */
export interface HuntEvents {
  'hunt.progress': HuntView;
}
