// The laboratory behind the API: every method of ApiMethods over the engine, and the events
// of ApiEvents. Both transports use this one class: the WebSocket server (core/server) and
// Electron's engine host. They hand it what they receive, untyped; call() validates it.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { ApiEvents, ArgOf, EventName, Method, ResultOf, RunData, RunId, RunStatusEvent } from './contract.js';
import { METHODS } from './contract.js';
import { ARG_SCHEMAS, argProblems } from './schemas.js';
import { ApiError, errorPayload } from './errors.js';
import { LiveAggregator } from './live-aggregator.js';
import { appendRunData, emptyRunData, snapshotRunData } from './run-history.js';
import { messagesInWindow, recordedRunDataInParallel } from './recorded-data.js';
import { MetricsReader } from './metrics-reader.js';
import { listPresets } from './presets.js';
import { parseFaultRequest } from './fault-request.js';
import { joinedIds } from '../experiment/membership-schedule.js';
import { experimentYaml } from './experiment-text.js';
import { appVersion } from './app-files.js';
import { replayStateAt } from './replay-state.js';
import { ExperimentError, parseExperimentTextWithLines } from '../experiment/load.js';
import { clientIds, isSimulated, nodeIds, type Experiment } from '../experiment/types.js';
import { programInfos, programNames } from '../programs/registry.js';
import { Run, type RunSummary } from '../engine/run.js';
import { SimRun } from '../simulation/sim-run.js';
import { openStore } from '../engine/open-store.js';
import { getRun, listRuns, type RunRow } from '../store/queries.js';
import { QueryError, findMessages } from '../analysis/find-messages.js';
import { annotateRun } from '../store/runs.js';
import { operationsById } from '../store/operations.js';
import { ExportTargetError } from '../export/csv.js';
import { compareData } from './compare-data.js';
import { runAgainText, type RunLink } from './run-again.js';
import { EXPORT_FORMATS, type ExportFormat } from '../export/formats.js';
import { getSweep, listSweeps } from './sweeps.js';
import { LabSweeps, isSweepText, validateSweepText } from './lab-sweeps.js';
import { LabHunts } from './lab-hunts.js';
import { LabStepping } from './lab-stepping.js';

export interface LabOptions {
  dbPath: string;
  shell: 'electron' | 'browser';
  presetsDir: string;
}

interface ActiveRun {
  /** A real run, or a simulated one: both record alike and feed the live view alike. */
  run: Run | SimRun;
  text: string;
  status: RunStatusEvent['status'];
  stopping: boolean;
  ended: Promise<void>;
  /** Everything streamed so far (capped), for views that open the run while it goes. */
  history: RunData;
}

type Handlers = { [M in Method]: (arg: z.output<(typeof ARG_SCHEMAS)[M]>) => ResultOf<M> | Promise<ResultOf<M>> };

export class Lab {
  private readonly db: Database.Database;
  private readonly emitter = new EventEmitter();
  private readonly active = new Map<RunId, ActiveRun>();
  /** Every run not yet saved, also those still waiting for their id. */
  private readonly unfinished = new Set<ActiveRun>();
  /** The text each run was started with, to give it back as it was written. */
  private readonly texts = new Map<RunId, string>();
  private closing: Promise<void> | null = null;
  /** Opening a recorded run reads its metrics on this worker meanwhile; started with the first runs list, so the first open does not wait for it. */
  private readonly metricsReader = new MetricsReader();
  private readonly handlers: Handlers;
  private readonly sweeps: LabSweeps;
  private readonly hunts: LabHunts;
  private readonly stepping: LabStepping;

  constructor(private readonly options: LabOptions) {
    // Opening the store also marks runs of dead engines interrupted and reaps their nodes.
    this.db = openStore(options.dbPath);
    this.emitter.setMaxListeners(0);
    this.sweeps = new LabSweeps(this.db, {
      startRun: (text) => this.start(text),
      ended: (runId) => this.active.get(runId)?.ended ?? Promise.resolve(),
      stopRun: (runId) => this.active.get(runId)?.run.stop('interrupted'),
    });
    this.hunts = new LabHunts(options.dbPath, (view) => this.emit('hunt.progress', view));
    this.stepping = new LabStepping(this.db);
    this.handlers = {
      'lab.info': () => ({ version: appVersion(), dbPath: path.resolve(this.options.dbPath), shell: this.options.shell }),
      'programs.list': () => programInfos(),
      'presets.list': () => listPresets(this.options.presetsDir),
      'experiment.validate': ({ text }) => this.validate(text),
      'run.start': ({ text, originRunId }) => this.start(text, originRunId === undefined ? {} : { originRunId: this.existingRun(originRunId) }),
      'run.again': ({ runId }) => this.start(...runAgainText(this.db, runId, this.texts.get(runId), (text) => this.parse(text))),
      'run.stop': ({ runId }) => {
        const active = this.activeRun(runId);
        active.stopping = true;
        active.run.stop('interrupted');
        return null;
      },
      'run.fault': ({ runId, fault }) => this.fault(runId, fault),
      'run.active': () => [...this.active.keys()],
      'runs.list': () => {
        // Whoever lists the runs may open one next: have its worker loaded by then.
        this.metricsReader.warm();
        return listRuns(this.db);
      },
      'runs.get': ({ runId }) => this.runDetail(runId),
      'runs.data': ({ runId }) => {
        const active = this.active.get(runId);
        if (active) return { ...snapshotRunData(active.history), nodes: active.run.nodeStates(), blocked: active.run.blockedLinks() };
        return recordedRunDataInParallel(this.db, this.options.dbPath, runId, this.metricsReader);
      },
      'runs.messages': ({ runId, fromMs, toMs, limit }) => messagesInWindow(this.db, runId, fromMs, toMs, limit),
      'runs.stateAt': ({ runId, tMs, node }) => replayStateAt(this.db, runId, tMs, node),
      'runs.annotate': ({ runId, label, note }) => {
        annotateRun(this.db, runId, label, note);
        return this.runDetail(runId).run;
      },
      'runs.operations': ({ runId, ids }) => operationsById(this.db, runId, ids),
      'runs.find': ({ runId, query, limit }) => {
        try {
          return findMessages(this.db, runId, query, limit);
        } catch (error) {
          if (error instanceof QueryError) throw ApiError.input(error.message, [{ path: 'query', message: error.message }]);
          throw error;
        }
      },
      'runs.compare': ({ runIds }) => compareData(this.db, runIds),
      'runs.export': ({ runId, dir, overwrite, format }) => this.exportCsv(runId, dir, overwrite ?? false, format ?? 'csv'),
      'sweeps.list': () => listSweeps(this.db),
      'sweeps.get': ({ sweepId }) => getSweep(this.db, sweepId),
      'sweep.start': ({ text }) => {
        if (this.closing) throw new ApiError({ kind: 'internal', message: 'the lab is shutting down; no new sweeps' });
        return this.sweeps.start(text);
      },
      'sweep.stop': ({ sweepId }) => this.sweeps.stop(sweepId),
      'sweep.active': () => this.sweeps.running,
      'hunt.start': (arg) => {
        if (this.closing) throw new ApiError({ kind: 'internal', message: 'the lab is shutting down; no new hunts' });
        return this.hunts.start(arg);
      },
      'hunt.get': ({ huntId }) => this.hunts.get(huntId),
      'hunt.stop': ({ huntId }) => this.hunts.stop(huntId),
      'step.open': ({ text }) => this.stepping.open(this.parse(text)),
      'step.choose': ({ sessionId, choice }) => this.stepping.choose(sessionId, choice),
      'step.run': ({ sessionId, maxSteps }) => this.stepping.run(sessionId, maxSteps),
      'step.goto': ({ sessionId, treeNode }) => this.stepping.goto(sessionId, treeNode),
      'step.save': ({ sessionId, treeNode }) => this.stepping.save(sessionId, treeNode),
      'step.close': ({ sessionId }) => this.stepping.close(sessionId),
    };
  }

  /**
   * Runs one API method. The method name and the argument are checked first: a bad one
   * throws an ApiError of kind 'input' naming the fields; any other failure is 'internal'.
   */
  async call(method: string, arg: unknown): Promise<unknown> {
    if (!(METHODS as readonly string[]).includes(method)) {
      throw ApiError.input(`unknown method "${method}"; the methods are ${METHODS.join(', ')}`, [{ path: 'method', message: `unknown method "${method}"` }]);
    }
    const m = method as Method;
    const parsed = ARG_SCHEMAS[m].safeParse(arg);
    if (!parsed.success) {
      const problems = argProblems(parsed.error.issues);
      throw ApiError.input(`${m}: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`, problems);
    }
    try {
      return await (this.handlers[m] as (arg: unknown) => unknown)(parsed.data);
    } catch (error) {
      throw error instanceof ApiError ? error : new ApiError(errorPayload(error));
    }
  }

  /** call() with the contract's types, for in-process callers. */
  invoke<M extends Method>(method: M, arg: ArgOf<M>): Promise<ResultOf<M>> {
    return this.call(method, arg) as Promise<ResultOf<M>>;
  }

  /**
   * Listens to one event; returns the function that stops listening. Events are emitted from
   * the run's timers: a listener that throws is reported, and the run goes on.
   */
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const guarded = (payload: ApiEvents[E]) => {
      try {
        listener(payload);
      } catch (error) {
        process.emitWarning(`a listener of ${event} failed: ${(error as Error).message}`);
      }
    };
    this.emitter.on(event, guarded);
    return () => this.emitter.off(event, guarded);
  }

  /** Runs still going. */
  get activeRuns(): RunId[] {
    return [...this.active.keys()];
  }

  /** Stops every active run (recorded as interrupted), waits until each is saved, then closes the store. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const sweepsEnded = this.sweeps.close();
      const huntsEnded = this.hunts.close();
      const steppingEnded = this.stepping.closeAll();
      const ending = [...this.unfinished].map((active) => {
        active.stopping = true;
        active.run.stop('interrupted');
        return active.ended;
      });
      await Promise.all(ending);
      await sweepsEnded;
      await huntsEnded;
      await steppingEnded;
      await this.metricsReader.close();
      this.db.close();
    })();
    return this.closing;
  }

  private emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    this.emitter.emit(event, payload);
  }

  private parse(text: string): Experiment {
    return parseExperimentTextWithLines(text, { source: 'experiment', programs: programNames() });
  }

  private validate(text: string): ResultOf<'experiment.validate'> {
    if (isSweepText(text)) return validateSweepText(text);
    try {
      const experiment = this.parse(text);
      // The nodes that join on schedule are nodes too, for the editor's fault forms.
      const nodes = [...nodeIds(experiment.nodes.count), ...joinedIds(experiment.faults)];
      return { ok: true, name: experiment.name, nodes, clients: clientIds(experiment.workload.clients) };
    } catch (error) {
      if (error instanceof ExperimentError) return { ok: false, problems: error.problems };
      throw error;
    }
  }

  /** Starts a run; resolves with its id as soon as it has one, while the run goes on. */
  private start(text: string, link: RunLink = {}): Promise<ResultOf<'run.start'>> {
    if (this.closing) throw new ApiError({ kind: 'internal', message: 'the lab is shutting down; no new runs' });
    const experiment = this.parse(text);
    if (link.seed !== undefined) {
      experiment.seed = link.seed;
      experiment.seedWasRandom = false;
    }
    let run!: Run | SimRun;
    const live = new LiveAggregator(
      { runId: () => run.runId, nowUs: () => run.clock.nowUs(), nodeStates: () => run.nodeStates(), blockedLinks: () => run.blockedLinks() },
      (data) => {
        data.seq = (entry.history.seq ?? 0) + 1;
        appendRunData(entry.history, data);
        this.emit('run.data', data);
      },
    );
    // A simulation runs here, in the engine's process, off the UI thread like a real run's
    // engine; it yields to the event loop between slices of events, so the live view and a stop get turns.
    run = isSimulated(experiment) ? new SimRun(experiment, this.options.dbPath, live) : new Run(experiment, this.options.dbPath, live);
    run.originRunId = link.originRunId ?? null;
    const entry: ActiveRun = { run, text, status: 'starting', stopping: false, ended: Promise.resolve(), history: { ...emptyRunData(0), seq: 0 } };
    this.unfinished.add(entry);
    return new Promise((resolve, reject) => {
      const status = (next: RunStatusEvent['status'], extra: Partial<RunStatusEvent> = {}) => {
        entry.status = next;
        this.emit('run.status', { runId: run.runId, status: next, ...extra });
      };
      let announced = false;
      const early: string[] = [];
      // Gives the caller its run id. Events about the run are emitted on a later turn of the
      // event loop, so that a transport sends the reply before them.
      const announce = () => {
        if (announced) return;
        announced = true;
        this.texts.set(run.runId, text);
        entry.history.runId = run.runId;
        this.active.set(run.runId, entry);
        live.start();
        resolve({ runId: run.runId });
        setImmediate(() => {
          status('starting');
          for (const notice of early) status(entry.status, { notice });
        });
      };
      const events = run as EventEmitter<{ started: []; nodesUp: []; notice: [{ node: string | null; text: string }] }>;
      events.once('started', announce);
      // After the announcement's events: a simulation's nodes are up in the same turn it started.
      events.on('nodesUp', () => setImmediate(() => status('running')));
      events.on('notice', (notice) => {
        const line = notice.node ? `${notice.node} ${notice.text}` : notice.text;
        if (announced) status(entry.status, { notice: line });
        else early.push(line);
      });
      entry.ended = run
        .execute()
        .then(
          (summary) => {
            // A run that failed before it started still has its row and id: it is reported like any other.
            announce();
            this.active.delete(run.runId);
            setImmediate(() => {
              live.stop();
              this.emit('run.status', { runId: summary.runId, status: summary.status, summary });
            });
          },
          (error: unknown) => {
            live.stop();
            this.active.delete(run.runId);
            const message = `the run could not start: ${(error as Error).message}`;
            if (announced) status('failed', { notice: message });
            reject(new ApiError({ kind: 'internal', message }));
          },
        )
        .finally(() => this.unfinished.delete(entry));
    });
  }

  private activeRun(runId: RunId): ActiveRun {
    const active = this.active.get(runId);
    if (!active) throw ApiError.input(`run ${runId} is not running (see run.active)`, [{ path: 'runId', message: `run ${runId} is not running` }]);
    return active;
  }

  private fault(runId: RunId, fault: Record<string, unknown>): null {
    const active = this.activeRun(runId);
    if (active.run instanceof SimRun) {
      const message = `run ${runId} is a simulation: its faults come from its file (faults:), at virtual times, so that its seed replays it exactly; add the fault there and run it again`;
      throw ApiError.input(message, [{ path: 'fault', message: 'a simulated run takes no live faults' }]);
    }
    const action = parseFaultRequest(active.text, fault, programNames(), active.run.members());
    const pastEnd = active.run.clock.nowUs() / 1000 >= active.run.experiment.durationMs;
    if (active.stopping || pastEnd) throw ApiError.input(`run ${runId} is ending; faults can no longer be injected`, [{ path: 'runId', message: `run ${runId} is ending` }]);
    // A program that does not take membership changes: the run records the refusal, and the person is told why.
    const refused = (action.kind === 'join' || action.kind === 'leave') && !active.run.takesMembership() ? active.run.membershipRefusal(action) : null;
    active.run.inject(action);
    if (refused) throw ApiError.input(`fault.${action.kind}: ${refused}`, [{ path: `fault.${action.kind}`, message: refused }]);
    return null;
  }

  private runDetail(runId: RunId): ResultOf<'runs.get'> {
    const detail = getRun(this.db, runId);
    const run: RunRow = {
      id: detail.id,
      name: detail.name,
      status: detail.status,
      startedAtMs: detail.startedAtMs,
      endedAtMs: detail.endedAtMs,
      durationMs: detail.durationMs,
      seed: detail.seed,
      checks: detail.checks,
      messages: detail.messages,
      warnings: detail.warnings,
      originRunId: detail.originRunId,
      label: detail.label,
      note: detail.note,
      differs: detail.differs,
      ...(detail.simulated && { simulated: true as const }),
    };
    return { run, experimentText: this.texts.get(runId) ?? storedExperimentText(detail.experiment), summary: (detail.summary as RunSummary | null) ?? null };
  }

  /** The id of a recorded run; a clear input error naming it otherwise. */
  private existingRun(runId: RunId): RunId {
    return getRun(this.db, runId).id;
  }

  private async exportCsv(runId: RunId, dir: string, overwrite: boolean, format: ExportFormat = 'csv'): Promise<ResultOf<'runs.export'>> {
    if (!path.isAbsolute(dir)) throw ApiError.input(`dir: expected an absolute folder path, got "${dir}"`, [{ path: 'dir', message: 'expected an absolute folder path' }]);
    const onProgress = (file: string, rows: number) => this.emit('export.progress', { runId, file, rows, done: false });
    const result = await EXPORT_FORMATS[format](this.db, runId, dir, { overwrite, onProgress }).catch((error: unknown) => {
      if (!(error instanceof ExportTargetError)) throw error;
      const problems = [{ path: 'dir', message: error.message }];
      throw new ApiError({ kind: 'input', message: error.message, problems, ...(error.code === 'exists' && { code: 'export-files-exist', files: error.files }) });
    });
    // Every file's final count; `done` marks the last event of the export.
    result.files.forEach((file, i) => this.emit('export.progress', { runId, file, rows: result.rows[file] ?? 0, done: i === result.files.length - 1 }));
    return result;
  }
}

/** The stored (normalized) experiment as a loadable file; as stored (JSON is YAML) if it is not one. */
function storedExperimentText(experiment: unknown): string {
  try {
    return experimentYaml(experiment as Experiment);
  } catch {
    return `# The recorded experiment, as stored\n${JSON.stringify(experiment, null, 2)}\n`;
  }
}
