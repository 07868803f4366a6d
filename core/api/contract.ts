// The one API every front end uses: the Electron renderer over IPC, and the browser over
// WebSocket. Each method takes one argument and returns one result; events flow back.
import type { ProgramInfo } from '../sdk/protocol.js';
import type { RunRow } from '../store/queries.js';
import type { RunSummary } from '../engine/run.js';
import type { FoundMessages } from '../analysis/find-messages.js';
import type { OperationRecord } from '../store/operations.js';
import type { CompareData } from './compare-data.js';
import type { ExportFormat } from '../export/formats.js';
import type { SweepDetail, SweepRow } from './sweeps.js';
export type { OperationRecord };
import type { RunStateAt } from '../analysis/state-at.js';
import type { MetricsAt } from '../analysis/metrics-at.js';
import type { SteppingMethods } from './stepping-contract.js';
import type { HuntEvents, HuntMethods } from './hunt-contract.js';
export type { HuntEvents, HuntFailure, HuntGroup, HuntMethods, HuntShrunk, HuntView } from './hunt-contract.js';

export type RunId = number;

export interface Problem {
  /** Dotted path of the bad field, e.g. `nodes.count`; empty for the whole file. */
  path: string;
  message: string;
  /** The line of the experiment text the path points at (1-based), when known. */
  line?: number;
}

export interface Preset {
  /** File name in resources/experiments, e.g. `raft-leader-faults.yaml`. */
  id: string;
  name: string;
  /** The comment block at the top of the file. */
  description: string;
  text: string;
}

export type NodeState = 'starting' | 'up' | 'paused' | 'exited' | 'failed';

/**
 * [run ms, sent, delivered, lost (lost + partitioned + overflow + undeliverable)] per 100 ms bucket
 * of send time. In live increments a bucket can come again, also one older than the newest (a
 * message is counted once its fate is known, which for a slow delivery is later): add the counts.
 */
export type TrafficBucket = [number, number, number, number];
/** [invoke run ms, latency ms or null for a timeout, outcome, node, why a failed one failed ("not the leader (code 11)")]. */
export type OperationPoint = [number, number | null, 'ok' | 'fail' | 'timeout', string, (string | null)?];
/** [run ms, node, kind, data]. Node events: suspect, alive, dead, role, leader, term, election, apply, deliver, up, exit, crash, … */
export type NodeEventPoint = [number, string, string, unknown];
/** [run ms, node, metric name, value]. */
export type MetricPoint = [number, string, string, number];
/** [run ms, kind, detail, source]. */
export type FaultPoint = [number, string, unknown, 'schedule' | 'live'];
/**
 * [id, src, dest, type, send ms, deliver ms or null, fate, sender's Lamport clock or null,
 * the id of the original when this is an extra copy made by the network, else null,
 * the sender's vector clock at the send (entries that are 0 left out) or null].
 */
export type MessagePoint = [number, string, string, string, number, number | null, string, number | null, (number | null)?, (Record<string, number> | null)?];
/** [run ms, node, stream, line]. */
export type LogPoint = [number, string, string, string];

/**
 * A slice of a run's data. Live runs stream these as increments about 20 times a second;
 * a recorded run is loaded as one. The same chart code draws both.
 */
export interface RunData {
  runId: RunId;
  /** Run time up to which this slice is complete. */
  untilMs: number;
  traffic: TrafficBucket[];
  operations: OperationPoint[];
  events: NodeEventPoint[];
  metrics: MetricPoint[];
  faults: FaultPoint[];
  /** A bounded sample for the space-time diagram (all of them when there are few). */
  messages: MessagePoint[];
  logs: LogPoint[];
  /** Latest state of each node, and the directed links blocked by partitions and cuts. */
  nodes: Record<string, NodeState>;
  blocked: Array<[string, string]>;
  /**
   * Live increments are numbered 1, 2, …; an active run's `runs.data` carries the number of
   * the last increment it includes, so a view that opens late applies only the later ones.
   */
  seq?: number;
}

/** A recorded run at one instant (what `distlab replay --json` prints), with its span and the latest metrics of each node (of `node` alone when one is asked for). */
export interface ReplayState extends RunStateAt {
  spanMs: number;
  metrics: MetricsAt;
}

export interface RunStatusEvent {
  runId: RunId;
  status: 'starting' | 'running' | 'completed' | 'failed' | 'interrupted';
  /** Present once the run has ended. */
  summary?: RunSummary;
  notice?: string;
}

export interface ExportProgress {
  runId: RunId;
  file: string;
  rows: number;
  done: boolean;
}

/** The fault forms of the experiment file, without `at`: `{ kill: 'n2' }`, `{ partition: 'majority' }`, … */
export type FaultRequest = Record<string, unknown>;

/** Every method; stepping's are in stepping-contract.ts, hunting's in hunt-contract.ts. */
export interface ApiMethods extends SteppingMethods, HuntMethods {
  'lab.info': { arg: null; result: { version: string; dbPath: string; shell: 'electron' | 'browser' } };
  'programs.list': { arg: null; result: ProgramInfo[] };
  'presets.list': { arg: null; result: Preset[] };
  /** A file with a `sweep` section is checked as a sweep: `sweep` then says how many runs Run starts (sweep.start). */
  'experiment.validate': { arg: { text: string }; result: { ok: true; name: string; nodes: string[]; clients: string[]; sweep?: { combinations: number; repeat: number; runs: number } } | { ok: false; problems: Problem[] } };
  /** `originRunId`: the recorded run this one is started from (Run with changes), stored with the new run. */
  'run.start': { arg: { text: string; originRunId?: RunId }; result: { runId: RunId } };
  /** Run again: the recorded run's experiment with its seed, linked to it. */
  'run.again': { arg: { runId: RunId }; result: { runId: RunId } };
  'run.stop': { arg: { runId: RunId }; result: null };
  'run.fault': { arg: { runId: RunId; fault: FaultRequest }; result: null };
  'run.active': { arg: null; result: RunId[] };
  'runs.list': { arg: null; result: RunRow[] };
  'runs.get': { arg: { runId: RunId }; result: { run: RunRow; experimentText: string; summary: RunSummary | null } };
  'runs.data': { arg: { runId: RunId }; result: RunData };
  'runs.messages': { arg: { runId: RunId; fromMs: number; toMs: number; limit: number }; result: MessagePoint[] };
  /** The run at one instant, from the same code as `distlab replay --at`; a time after the run's end is an input error. */
  'runs.stateAt': { arg: { runId: RunId; tMs: number; node?: string }; result: ReplayState };
  /** Sets a recorded run's label and note (null or blank clears one). */
  'runs.annotate': { arg: { runId: RunId; label: string | null; note: string | null }; result: RunRow };
  /** Messages matching a search (core/analysis/find-messages.ts), in send order. */
  'runs.find': { arg: { runId: RunId; query: string; limit: number }; result: FoundMessages };
  /** Recorded client operations by id (the ids a check names), with their times: the lab links findings to the replay. */
  'runs.operations': { arg: { runId: RunId; ids: number[] }; result: OperationRecord[] };
  /** Two to four different recorded runs side by side: the numbers of `distlab compare --json`, and the series to overlay. */
  'runs.compare': { arg: { runIds: RunId[] }; result: CompareData };
  /** Refuses a folder that already holds files of the export's names (error code `export-files-exist`) unless `overwrite`. `format` is csv unless given. */
  'runs.export': { arg: { runId: RunId; dir: string; overwrite?: boolean; format?: ExportFormat }; result: { files: string[]; rows: Record<string, number> } };
  'sweeps.list': { arg: null; result: SweepRow[] };
  /** One sweep with each combination's runs and measurements, as `distlab sweep --json` gives them. */
  'sweeps.get': { arg: { sweepId: number }; result: SweepDetail };
  /** Runs a file's sweep in the lab, one run at a time; resolves at once with the sweep's id. */
  'sweep.start': { arg: { text: string }; result: { sweepId: number; runs: number } };
  'sweep.stop': { arg: { sweepId: number }; result: null };
  /** Sweeps this lab is running (not those of `distlab sweep` in a terminal). */
  'sweep.active': { arg: null; result: number[] };
}

export interface ApiEvents extends HuntEvents {
  'run.data': RunData;
  'run.status': RunStatusEvent;
  'export.progress': ExportProgress;
}

export type Method = keyof ApiMethods;
export type EventName = keyof ApiEvents;
export type ArgOf<M extends Method> = ApiMethods[M]['arg'];
export type ResultOf<M extends Method> = ApiMethods[M]['result'];

/** What both transports give the renderer. */
export interface Transport {
  call<M extends Method>(method: M, arg: ArgOf<M>): Promise<ResultOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** Errors cross the transports as data; `kind: 'input'` means the caller sent something wrong. */
export interface ApiErrorPayload {
  kind: 'input' | 'internal';
  message: string;
  problems?: Problem[];
  /** What the caller can act on: `export-files-exist` — ask, then call again with `overwrite: true`. */
  code?: ApiErrorCode;
  /** With `export-files-exist`: the files that would be replaced. */
  files?: string[];
}

export type ApiErrorCode = 'export-files-exist';

export const METHODS: readonly Method[] = [
  'lab.info',
  'programs.list',
  'presets.list',
  'experiment.validate',
  'run.start',
  'run.stop',
  'run.fault',
  'run.active',
  'runs.list',
  'runs.get',
  'runs.data',
  'runs.messages',
  'runs.find',
  'runs.operations',
  'runs.annotate',
  'runs.stateAt',
  'runs.export',
  'run.again',
  'runs.compare',
  'sweeps.list',
  'sweeps.get',
  'sweep.start',
  'sweep.stop',
  'sweep.active',
  'step.open',
  'step.choose',
  'step.run',
  'step.goto',
  'step.save',
  'step.close',
  'hunt.start',
  'hunt.get',
  'hunt.stop',
];

export const EVENTS: readonly EventName[] = ['run.data', 'run.status', 'export.progress', 'hunt.progress'];
