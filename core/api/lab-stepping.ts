// The lab's stepping sessions (step.* methods): each a simulation stepped one choice at a
// time, held in the engine host by its session id until step.close or the lab's shutdown.
// Saving a path records it as a simulated run in the lab's store, through the same SimRun
// that `distlab run` uses on the saved experiment, so the two records are the same.
import type Database from 'better-sqlite3';
import { ApiError } from './errors.js';
import type { StepView } from './stepping-contract.js';
import type { Experiment, StepChoice } from '../experiment/types.js';
import { isSimulated } from '../experiment/types.js';
import { withRandomFaults } from '../experiment/random-faults.js';
import { loadProgram } from '../programs/loaders.js';
import { SimRun } from '../simulation/sim-run.js';
import { StepSession, StepSessionError } from '../simulation/stepping/step-session.js';

/** Each session keeps a simulation and its record in memory: a bound on how many stay open. */
export const MAX_STEP_SESSIONS = 16;

export class LabStepping {
  private readonly sessions = new Map<number, StepSession>();
  private nextId = 1;
  private closed = false;
  /** Saves under way: the store must stay open until they are recorded. */
  private readonly saving = new Set<Promise<unknown>>();

  constructor(private readonly db: Database.Database) {}

  async open(experiment: Experiment): Promise<StepView> {
    if (this.closed) throw new ApiError({ kind: 'internal', message: 'the lab is shutting down; no new stepping sessions' });
    if (!isSimulated(experiment)) throw ApiError.input('step.open: stepping needs mode: simulate (the built-in programs on virtual time)', [{ path: 'text', message: 'expected an experiment with mode: simulate' }]);
    if (this.sessions.size >= MAX_STEP_SESSIONS) throw ApiError.input(`step.open: ${MAX_STEP_SESSIONS} stepping sessions are open already; close one with step.close`, [{ path: 'text', message: 'too many stepping sessions open' }]);
    const program = experiment.nodes.program === undefined ? undefined : loadProgram(experiment.nodes.program);
    if (!program) throw ApiError.input(`step.open: nodes.program "${experiment.nodes.program}" is not a built-in program, which stepping needs`, [{ path: 'text', message: 'expected a built-in program in nodes.program' }]);
    const id = this.nextId++;
    // Random faults are drawn from the seed now, as before any run: the session steps (and saves) the concrete list.
    const session = await translated(StepSession.open(id, withRandomFaults(experiment), await program));
    this.sessions.set(id, session);
    return session.view();
  }

  choose(sessionId: number, choice: StepChoice): Promise<StepView> {
    return translated(this.session(sessionId).choose(choice));
  }

  run(sessionId: number, maxSteps: number): Promise<StepView> {
    return translated(this.session(sessionId).run(maxSteps));
  }

  goto(sessionId: number, treeNode: number): Promise<StepView> {
    return translated(this.session(sessionId).goto(treeNode));
  }

  /** Records the path to treeNode as a simulated run; resolves once it is recorded. */
  async save(sessionId: number, treeNode: number): Promise<{ runId: number }> {
    if (this.closed) throw new ApiError({ kind: 'internal', message: 'the lab is shutting down; nothing more is saved' });
    const experiment = await translated(Promise.resolve().then(() => this.session(sessionId).experimentAt(treeNode)));
    const run = new SimRun(experiment, this.db);
    const recorded = run.execute();
    this.saving.add(recorded);
    try {
      await recorded;
    } finally {
      this.saving.delete(recorded);
    }
    return { runId: run.runId };
  }

  async close(sessionId: number): Promise<null> {
    const session = this.session(sessionId);
    this.sessions.delete(sessionId);
    await session.close();
    return null;
  }

  /** Closes every session: the lab is shutting down. */
  async closeAll(): Promise<void> {
    this.closed = true;
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all([...sessions.map((session) => session.close()), ...[...this.saving].map((saving) => saving.catch(() => {}))]);
  }

  private session(sessionId: number): StepSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw ApiError.input(`there is no stepping session ${sessionId} (it was closed, or never opened)`, [{ path: 'sessionId', message: `no stepping session ${sessionId}` }]);
    return session;
  }
}

/** A session's refusals are the caller's input errors, naming the field. */
async function translated<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof StepSessionError) throw ApiError.input(error.message, [{ path: error.field, message: error.message }]);
    throw error;
  }
}
