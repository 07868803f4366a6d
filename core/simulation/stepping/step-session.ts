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

/** Steps between turns of the event loop during step.run, so that other calls get theirs. */
const STEPS_PER_TURN = 20;

export class StepSession {
  private readonly tree: StepTree;
  private current = 0;
  /** Each node's state before the step into `current`, to show what it changed (null at the root). */
  private before: Map<NodeId, unknown> | null = null;
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
    try {
      for (const [index, choice] of (experiment.steps ?? []).entries()) {
        if (execution.failure) throw new StepSessionError('text', `steps: step ${index + 1} comes after the protocol threw at step ${index}`);
        await session.step(choice).catch((error: unknown) => {
          if (error instanceof StepSessionError) throw new StepSessionError('text', `steps: step ${index + 1} cannot be taken: ${error.message}`);
          throw error;
        });
      }
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  view(): StepView {
    return stepView(this.id, this.experiment, this.execution, this.tree, this.current, this.before, this.checks);
  }

  choose(choice: StepChoice): Promise<StepView> {
    return this.serially(async () => {
      await this.step(choice);
      return this.view();
    });
  }

  /** Takes `next` up to maxSteps times; stops at the duration, or after the first step that breaks a check. */
  run(maxSteps: number): Promise<StepView> {
    return this.serially(async () => {
      for (let i = 0; i < maxSteps && !this.execution.done; i++) {
        const entry = await this.step({ kind: 'next' });
        if (entry.node.violation !== null) break;
        if ((i + 1) % STEPS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
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

  /** Takes one choice from `current`: onto the child it led to before, or a new branch. */
  private async step(choice: StepChoice): Promise<TreeEntry> {
    const failure = this.execution.failure;
    if (failure) throw new StepSessionError('choice', `the simulation stopped here: ${failure.message}; go back to take another branch`);
    const parent = this.tree.get(this.current);
    const before = this.execution.states();
    let outcome: StepOutcome;
    try {
      outcome = this.execution.take(choice);
    } catch (error) {
      if (error instanceof StepChoiceError) throw new StepSessionError(error.field ? `choice.${error.field}` : 'choice', error.message);
      if (!(error instanceof ProtocolStepError)) throw error;
      outcome = { description: `${choiceText(choice)}: ${error.node} threw on ${error.input}`, nodes: [error.node] };
    }
    this.before = before;
    this.checks = await this.currentChecks();
    const known = this.tree.child(this.current, choice);
    if (known) {
      this.current = known.node.id;
      return known;
    }
    const broken = brokenChecks(this.checks);
    const newly = broken.find((name) => !parent.broken.includes(name));
    const violation = newly === undefined ? null : { check: newly, detail: checkDetail(newly, this.checks[newly]) };
    const entry = this.tree.add(this.current, choice, outcome, broken, violation);
    this.current = entry.node.id;
    return entry;
  }

  /** Re-executes the path to a tree node: on from here when it lies ahead, else from the root. */
  private async moveTo(treeNode: number): Promise<void> {
    const path = this.tree.path(treeNode);
    let from = 0;
    if (this.tree.isAncestor(this.current, treeNode) && !this.execution.failure) {
      from = this.tree.get(this.current).node.depth;
    } else {
      await this.execution.close();
      this.execution = new StepExecution(this.experiment, this.program);
    }
    this.before = null;
    for (let i = from; i < path.length; i++) {
      if (i === path.length - 1) this.before = this.execution.states();
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
