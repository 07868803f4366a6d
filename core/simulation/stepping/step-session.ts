// A stepping session, as in Oddity: an experiment and a seed, stepped one choice at a time
// from the state after bring-up. Every choice is kept in a tree; going back, or over to
// another branch, re-executes that node's path from the root (the simulation is
// deterministic, so the same path gives the same world). After every step the run's checks
// judge the record so far, and the first check a step breaks is marked on its tree node.
import type { Experiment, NodeId, StepChoice } from '../../experiment/types.js';
import type { Program } from '../../sdk/protocol.js';
import type { CheckResult } from '../../checks/run-checks.js';
import type { StepView } from '../../api/stepping-contract.js';
import { ProtocolStepError } from '../sim-node.js';
import { StepExecution } from './step-execution.js';
import { StepTree, type TreeEntry } from './step-tree.js';
import { checkDetail } from './step-checks.js';
import { stepView } from './step-view.js';
import { StepChoiceError, type StepOutcome } from './take-choice.js';

/** A request the session cannot follow; `field` names the argument at fault. */
export class StepSessionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'StepSessionError';
  }
}

/**
 * step.run and a file's steps judge the checks once per batch of this many steps, not after
 * each: judging reads the whole record so far. A batch that breaks a check is stepped again
 * one by one to find the step that broke it (a broken check stays broken on a path).
 */
const STEPS_PER_BATCH = 32;

export class StepSession {
  private readonly tree: StepTree;
  private current = 0;
  /** Each node's state before the step into tree node `beforeOf`, to show what that step changed. */
  private before: Map<NodeId, unknown> | null = null;
  private beforeOf: number | null = null;
  private checks: Record<string, CheckResult>;
  /** Calls on one session run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly id: number,
    /** The experiment at the root: its own `steps` become the first branch of the tree. */
    readonly experiment: Experiment,
    private readonly program: Program,
    private execution: StepExecution,
    checks: Record<string, CheckResult>,
  ) {
    this.checks = checks;
    this.tree = new StepTree(`bring-up: ${experiment.nodes.count} nodes up`, brokenChecks(checks));
  }

  /** Brings the experiment up and takes the file's own steps, if it has any, as the first branch. */
  static async open(id: number, experiment: Experiment, program: Program): Promise<StepSession> {
    const root: Experiment = { ...experiment, seedWasRandom: false };
    delete root.steps;
    const execution = new StepExecution(root, program);
    const session = new StepSession(id, root, program, execution, await execution.checks());
    const steps = experiment.steps ?? [];
    try {
      let index = 0;
      await session.walk(() => steps[index++] ?? null, steps.length, false).catch((error: unknown) => {
        if (error instanceof StepSessionError) throw new StepSessionError('text', `steps: step ${index} cannot be taken: ${error.message}`);
        throw error;
      });
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  view(): StepView {
    return stepView(this.id, this.experiment, this.execution, this.tree, this.current, this.beforeOf === this.current ? this.before : null, this.checks);
  }

  choose(choice: StepChoice): Promise<StepView> {
    return this.serially(async () => {
      const before = this.execution.states();
      const entry = this.take(choice);
      this.remember(before, entry);
      this.checks = await this.currentChecks();
      if (!entry.judged) this.tree.judge(entry, brokenChecks(this.checks), (name) => checkDetail(name, this.checks[name]));
      return this.view();
    });
  }

  /** Takes `next` up to maxSteps times; stops at the duration, or after the first step that breaks a check. */
  run(maxSteps: number): Promise<StepView> {
    return this.serially(async () => {
      await this.walk(() => (this.execution.done ? null : { kind: 'next' }), maxSteps, true);
      return this.view();
    });
  }

  goto(treeNode: number): Promise<StepView> {
    return this.serially(async () => {
      this.existing(treeNode);
      if (treeNode !== this.current) await this.moveTo(treeNode);
      return this.view();
    });
  }

  /** The experiment whose run is the path to treeNode: what step.save records and `distlab run` re-executes. */
  experimentAt(treeNode: number): Experiment {
    this.existing(treeNode);
    return { ...this.experiment, steps: this.tree.path(treeNode).map((entry) => entry.node.choice!) };
  }

  close(): Promise<void> {
    return this.serially(() => this.execution.close());
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => {});
    return result;
  }

  private existing(treeNode: number): void {
    if (!this.tree.has(treeNode)) throw new StepSessionError('treeNode', `there is no tree node ${treeNode} in session ${this.id}`);
  }

  /**
   * Takes the choices `nextChoice` gives, at most `max`, in batches judged by the checks at
   * their end; with stopAtViolation, stops after the first step that breaks a check.
   */
  private async walk(nextChoice: () => StepChoice | null, max: number, stopAtViolation: boolean): Promise<void> {
    let taken = 0;
    while (taken < max) {
      const start = this.current;
      const batch: TreeEntry[] = [];
      const size = Math.min(STEPS_PER_BATCH, max - taken);
      let known: TreeEntry | null = null;
      for (let choice = nextChoice(); choice !== null; choice = batch.length < size ? nextChoice() : null) {
        // The batch's last step is the one the view shows: what it changed is kept.
        const before = batch.length === size - 1 ? this.execution.states() : null;
        const entry = this.take(choice);
        if (before) this.remember(before, entry);
        batch.push(entry);
        // A step judged on an earlier visit: its violation is known already.
        if (entry.judged && entry.node.violation !== null && stopAtViolation) {
          known = entry;
          break;
        }
      }
      if (batch.length === 0) break;
      taken += batch.length;
      this.checks = await this.currentChecks();
      const brokenNow = brokenChecks(this.checks);
      const startBroken = this.tree.get(start).broken;
      const breaks = known !== null || brokenNow.some((name) => !startBroken.includes(name));
      if (breaks) {
        // Once more from the batch's start, one judged step at a time, to find the step that broke it.
        await this.moveTo(start);
        for (const entry of batch) {
          this.remember(this.execution.states(), this.take(entry.node.choice!));
          this.checks = await this.currentChecks();
          if (!entry.judged) this.tree.judge(entry, brokenChecks(this.checks), (name) => checkDetail(name, this.checks[name]));
          if (entry.node.violation !== null && stopAtViolation) return;
        }
      } else {
        // No check broke in the batch: every step in it has the start's broken checks.
        const last = batch[batch.length - 1];
        for (const entry of batch) if (!entry.judged && entry !== last) this.tree.judge(entry, startBroken, () => '');
        if (!last.judged) this.tree.judge(last, brokenNow, () => '');
      }
      if (batch.length < size) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // A walk that ended before its batch did (at the duration, say) has not kept what its last step changed: take that step again.
    if (this.beforeOf !== this.current && this.current !== 0) await this.moveTo(this.current, true);
  }

  private remember(before: Map<NodeId, unknown>, entry: TreeEntry): void {
    this.before = before;
    this.beforeOf = entry.node.id;
  }

  /** Takes one choice from `current`: onto the child it led to before, or onto a new branch (judged by the caller). */
  private take(choice: StepChoice): TreeEntry {
    const failure = this.execution.failure;
    if (failure) throw new StepSessionError('choice', `the simulation stopped here: ${failure.message}; go back to take another branch`);
    let outcome: StepOutcome;
    try {
      outcome = this.execution.take(choice);
    } catch (error) {
      if (error instanceof StepChoiceError) throw new StepSessionError(error.field ? `choice.${error.field}` : 'choice', error.message);
      if (!(error instanceof ProtocolStepError)) throw error;
      outcome = { description: `${choiceText(choice)}: ${error.node} threw on ${error.input}`, nodes: [error.node] };
    }
    const entry = this.tree.child(this.current, choice) ?? this.tree.add(this.current, choice, outcome);
    this.current = entry.node.id;
    return entry;
  }

  /** Re-executes the path to a tree node: on from here when it lies ahead, else (or when asked to) from the root. */
  private async moveTo(treeNode: number, fromRoot = false): Promise<void> {
    const path = this.tree.path(treeNode);
    let from = 0;
    if (!fromRoot && this.tree.isAncestor(this.current, treeNode) && !this.execution.failure) {
      from = this.tree.get(this.current).node.depth;
    } else {
      await this.execution.close();
      this.execution = new StepExecution(this.experiment, this.program);
    }
    for (let i = from; i < path.length; i++) {
      if (i === path.length - 1) this.remember(this.execution.states(), path[i]);
      try {
        this.execution.take(path[i].node.choice!);
      } catch (error) {
        // The tree node where the protocol threw the first time: it throws again, as recorded.
        if (!(error instanceof ProtocolStepError) || i !== path.length - 1) throw error;
      }
    }
    this.current = treeNode;
    this.checks = await this.currentChecks();
  }

  private async currentChecks(): Promise<Record<string, CheckResult>> {
    const checks = await this.execution.checks();
    const failure = this.execution.failure;
    if (failure) checks['protocol-error'] = { valid: false, node: failure.node, step: failure.step };
    return checks;
  }
}

function brokenChecks(checks: Record<string, CheckResult>): string[] {
  return Object.entries(checks)
    .filter(([, result]) => !result.valid)
    .map(([name]) => name);
}

function choiceText(choice: StepChoice): string {
  switch (choice.kind) {
    case 'next':
      return 'next';
    case 'fire':
      return `fire ${choice.node} ${choice.timer}`;
    default:
      return `${choice.kind} #${choice.messageId}`;
  }
}
