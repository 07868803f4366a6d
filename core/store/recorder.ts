// The recorder's main-thread side: the switch calls it for every message, so each call only
// writes into column buffers (typed arrays, interned strings). Every flush interval the buffers
// go to a worker thread as one batch, which commits it in one transaction. A simulation, which
// has no real time to keep, commits the same batches in its own thread (Recorder.inThread).

import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { prepareBatchWriter } from './batch-writer.js';
import { returnRecorderWorker, takeRecorderWorker } from './recorder-workers.js';
import type { FaultSource, LogStream, MessageFate, OperationOutcome } from './schema.js';

/**
 * How each recorded table travels to the worker: numeric columns as Float64Array (NaN = null),
 * low-cardinality strings as ids into a shared symbol table, free text as plain strings.
 * The worker inserts columns in exactly this order: numbers, then symbols, then texts.
 */
export const RECORDED_TABLES = {
  messages: {
    numbers: ['id', 'bytes', 't_send_us', 't_deliver_us', 'dup_of', 'corrupted'],
    symbols: ['src', 'dest', 'type', 'fate'],
    texts: ['body'],
  },
  faults: { numbers: ['t_us'], symbols: ['kind', 'source'], texts: ['detail_json'] },
  events: { numbers: ['t_us', 'lamport'], symbols: ['node', 'kind'], texts: ['detail_json', 'vc_json'] },
  logs: { numbers: ['t_us'], symbols: ['node', 'stream'], texts: ['line'] },
  operations: {
    numbers: ['t_invoke_us', 't_complete_us'],
    symbols: ['client', 'node', 'op', 'outcome'],
    texts: ['detail_json'],
  },
  metrics: { numbers: ['t_us', 'value'], symbols: ['node', 'name'], texts: [] },
} as const satisfies Record<string, TableLayout>;

export interface TableLayout {
  numbers: readonly string[];
  symbols: readonly string[];
  texts: readonly string[];
}

export type RecordedTable = keyof typeof RECORDED_TABLES;

/** Numeric columns stored as REAL; every other numeric column is an integer (times in µs). */
export const REAL_COLUMNS: ReadonlySet<string> = new Set(['value']);

export interface TableBatch {
  length: number;
  numbers: Float64Array[];
  symbols: Uint32Array[];
  texts: Array<Array<string | null>>;
}

export type NodeChange =
  | {
      kind: 'started';
      node: string;
      incarnation: number;
      pid: number | null;
      pidStartTime: string | null;
      commandJson: string;
      tStartUs: number;
    }
  | {
      kind: 'exited';
      node: string;
      incarnation: number;
      tExitUs: number;
      exitCode: number | null;
      signal: string | null;
    };

export interface RecorderBatch {
  seq: number;
  /** Symbols with ids from symbolBase on; a base of 0 tells the worker to forget older symbols. */
  symbolBase: number;
  newSymbols: string[];
  tables: Partial<Record<RecordedTable, TableBatch>>;
  nodeChanges: NodeChange[];
  rows: number;
}

export type WorkerToRecorder =
  | { type: 'ready' }
  | { type: 'closed' }
  /** After 'closed': the run's WAL is copied into the database file and the file is closed. */
  | { type: 'idle' }
  | { type: 'committed'; seq: number; rows: number }
  | { type: 'failed'; seq: number | null; error: { name: string; message: string } };

export type RecorderToWorker = { type: 'open'; dbPath: string; runId: number; checkpointEveryPages: number | null } | ({ type: 'batch' } & RecorderBatch) | { type: 'close' };

export interface RecorderOptions {
  /** How often buffered rows go to the worker. Default 100 ms. */
  flushIntervalMs?: number;
  /** A table holding this many rows is sent at once, without waiting for the interval. Default 16384. */
  maxBatchRows?: number;
  /** WAL pages between the worker's checkpoints while it records; SQLite's 1,000 unless given. */
  checkpointEveryPages?: number;
}

/** Beyond this many distinct strings the symbol table starts over, so odd inputs cannot grow it forever. */
const MAX_SYMBOLS = 1 << 16;
const INITIAL_ROWS = 256;
/** A batch holding this much text is shipped at once, so that large bodies do not pile up here. */
const BATCH_TEXT_BYTES = 8 * 1024 * 1024;

class ColumnBuffer {
  length = 0;
  numbers: Float64Array[];
  symbols: Uint32Array[];
  texts: Array<Array<string | null>>;
  private capacity = INITIAL_ROWS;

  constructor(private readonly layout: TableLayout) {
    this.numbers = layout.numbers.map(() => new Float64Array(INITIAL_ROWS));
    this.symbols = layout.symbols.map(() => new Uint32Array(INITIAL_ROWS));
    this.texts = layout.texts.map(() => []);
  }

  /** The index of a new row, growing the typed arrays when they are full. */
  nextRow(): number {
    if (this.length === this.capacity) this.grow();
    return this.length++;
  }

  /** Copies the filled rows out (the copies can be transferred) and empties the buffer for reuse. */
  take(): TableBatch {
    const n = this.length;
    const batch: TableBatch = {
      length: n,
      numbers: this.numbers.map((column) => column.slice(0, n)),
      symbols: this.symbols.map((column) => column.slice(0, n)),
      texts: this.texts,
    };
    this.length = 0;
    this.texts = this.layout.texts.map(() => []);
    return batch;
  }

  private grow(): void {
    this.capacity *= 2;
    this.numbers = this.numbers.map((old) => copyInto(new Float64Array(this.capacity), old));
    this.symbols = this.symbols.map((old) => copyInto(new Uint32Array(this.capacity), old));
  }
}

function copyInto<T extends Float64Array | Uint32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}

/**
 * Rows a table buffers before an in-thread recorder commits. Each commit rewrites every index
 * page it touched, and the metric-series index is touched all over: 50 SWIM nodes' 725,000
 * suspicion samples took 25 s to record in batches of 16,384 rows and 12 s in batches this large.
 */
export const SIMULATION_BATCH_ROWS = 1 << 18;

/**
 * WAL pages between a simulation's checkpoints (64 MB): each checkpoint rewrites the pages a
 * run keeps touching and syncs the file, and at SQLite's 4 MB that was a third of the
 * worker's time (60 s of simulated Raft: 25 MB, six checkpoints). Real runs keep the default
 * until the sustained bench can show that longer pauses for a checkpoint keep the engine's
 * memory flat under 100 flood nodes: on this machine its memory check is too noisy to tell.
 */
export const SIMULATION_CHECKPOINT_PAGES = 16384;

/** Text bytes waiting to be committed above which the recorder asks its producers to wait. */
export const RECORDER_HIGH_WATER_BYTES = 64 * 1024 * 1024;
const RECORDER_LOW_WATER_BYTES = 16 * 1024 * 1024;

export class Recorder extends EventEmitter<{ error: [Error]; pressure: [boolean] }> {
  private readonly tables: Record<RecordedTable, ColumnBuffer>;
  private nodeChanges: NodeChange[] = [];
  private readonly symbolIds = new Map<string, number>();
  private newSymbols: string[] = [];
  private symbolBase = 0;

  private shippedSeq = 0;
  private committedSeq = 0;
  private rowsInFlight = 0;
  /** Text bytes (bodies, lines, details) buffered here and shipped but not committed. */
  private textBytesBuffered = 0;
  private textBytesInFlight = 0;
  private readonly textBytesBySeq = new Map<number, number>();
  private underPressure = false;
  private written = 0;
  private failure: Error | null = null;
  private waiters: Array<{ seq: number; resolve: () => void; reject: (err: Error) => void }> = [];
  private closing: Promise<void> | null = null;
  private shipScheduled = false;
  private workerExited = false;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    /** The worker thread that commits batches, or null when they are committed here (inThread). */
    private readonly worker: Worker | null,
    private readonly writeHere: ((batch: RecorderBatch) => void) | null,
    private readonly maxBatchRows: number,
    flushIntervalMs: number,
  ) {
    super();
    this.tables = {
      messages: new ColumnBuffer(RECORDED_TABLES.messages),
      faults: new ColumnBuffer(RECORDED_TABLES.faults),
      events: new ColumnBuffer(RECORDED_TABLES.events),
      logs: new ColumnBuffer(RECORDED_TABLES.logs),
      operations: new ColumnBuffer(RECORDED_TABLES.operations),
      metrics: new ColumnBuffer(RECORDED_TABLES.metrics),
    };
    if (!worker) this.workerExited = true;
    worker?.on('message', this.onWorkerMessage).on('error', this.onWorkerError).on('exit', this.onWorkerExit);
    this.timer = setInterval(() => this.ship(), flushIntervalMs);
    this.timer.unref();
  }

  /** Opens dbPath in a worker thread and resolves once it is ready to record rows for runId. */
  static async start(dbPath: string, runId: number, opts: RecorderOptions = {}): Promise<Recorder> {
    const worker = openInWorker(dbPath, runId, opts);
    await workerReady(worker).catch(async (err: unknown) => {
      await worker.terminate();
      throw err;
    });
    return new Recorder(worker, null, opts.maxBatchRows ?? 16384, opts.flushIntervalMs ?? 100);
  }

  /**
   * Records from now on while the worker still opens the database (a new thread boots for
   * about 0.1 s): batches wait in its port. For a simulation, whose first events need not wait;
   * a worker that cannot open the database fails the recorder, and flush() and close() reject
   * with why.
   */
  static startInBackground(dbPath: string, runId: number, opts: RecorderOptions = {}): Recorder {
    // The constructor's listeners turn a 'failed' message, an error or an exit into a failure.
    return new Recorder(openInWorker(dbPath, runId, opts), null, opts.maxBatchRows ?? 16384, opts.flushIntervalMs ?? 100);
  }

  /**
   * Records runId into db in this thread: each batch is committed as it is shipped. For a
   * simulation, whose loop has no real time to keep; `:memory:` databases work too.
   */
  static inThread(db: Database.Database, dbPath: string, runId: number, opts: RecorderOptions = {}): Recorder {
    return new Recorder(null, prepareBatchWriter(db, dbPath, runId), opts.maxBatchRows ?? SIMULATION_BATCH_ROWS, opts.flushIntervalMs ?? 100);
  }

  /** Rows committed to the database so far. */
  get rowsWritten(): number {
    return this.written;
  }

  /** Rows handed in but not yet committed: buffered here or waiting in the worker. */
  get pendingRows(): number {
    let buffered = this.nodeChanges.length;
    for (const table of Object.values(this.tables)) buffered += table.length;
    return buffered + this.rowsInFlight;
  }

  message(
    id: number,
    src: string,
    dest: string,
    type: string,
    body: string,
    bytes: number,
    tSendUs: number,
    tDeliverUs: number | null,
    fate: MessageFate,
    dupOf: number | null,
    corrupted: boolean,
  ): void {
    this.assertOpen();
    const table = this.tables.messages;
    const row = table.nextRow();
    const numbers = table.numbers;
    numbers[0][row] = id;
    numbers[1][row] = bytes;
    numbers[2][row] = tSendUs;
    numbers[3][row] = tDeliverUs ?? NaN;
    numbers[4][row] = dupOf ?? NaN;
    numbers[5][row] = corrupted ? 1 : 0;
    const symbols = table.symbols;
    symbols[0][row] = this.symbol(src);
    symbols[1][row] = this.symbol(dest);
    symbols[2][row] = this.symbol(type);
    symbols[3][row] = this.symbol(fate);
    table.texts[0][row] = body;
    this.textBytesBuffered += body.length;
    if (table.length >= this.maxBatchRows || this.textBytesBuffered >= BATCH_TEXT_BYTES) this.ship();
  }

  fault(tUs: number, kind: string, detail: unknown, source: FaultSource): void {
    this.assertOpen();
    const table = this.tables.faults;
    const row = table.nextRow();
    table.numbers[0][row] = tUs;
    table.symbols[0][row] = this.symbol(kind);
    table.symbols[1][row] = this.symbol(source);
    table.texts[0][row] = toJson(detail);
    if (table.length >= this.maxBatchRows) this.ship();
  }

  /** `lamport` and `vc` are the node's logical clocks at the event, when it keeps them. */
  event(tUs: number, node: string, kind: string, detail: unknown, lamport: number | null = null, vc: Record<string, number> | null = null): void {
    this.assertOpen();
    const table = this.tables.events;
    const row = table.nextRow();
    table.numbers[0][row] = tUs;
    table.numbers[1][row] = lamport ?? NaN;
    table.symbols[0][row] = this.symbol(node);
    table.symbols[1][row] = this.symbol(kind);
    table.texts[0][row] = toJson(detail);
    table.texts[1][row] = vc === null ? null : JSON.stringify(vc);
    if (table.length >= this.maxBatchRows) this.ship();
  }

  log(tUs: number, node: string, stream: LogStream, line: string): void {
    this.assertOpen();
    const table = this.tables.logs;
    const row = table.nextRow();
    table.numbers[0][row] = tUs;
    table.symbols[0][row] = this.symbol(node);
    table.symbols[1][row] = this.symbol(stream);
    table.texts[0][row] = line;
    this.textBytesBuffered += line.length;
    if (table.length >= this.maxBatchRows || this.textBytesBuffered >= BATCH_TEXT_BYTES) this.ship();
  }

  operation(
    client: string,
    node: string,
    op: string,
    tInvokeUs: number,
    tCompleteUs: number | null,
    outcome: OperationOutcome,
    detail: unknown,
  ): void {
    this.assertOpen();
    const table = this.tables.operations;
    const row = table.nextRow();
    table.numbers[0][row] = tInvokeUs;
    table.numbers[1][row] = tCompleteUs ?? NaN;
    table.symbols[0][row] = this.symbol(client);
    table.symbols[1][row] = this.symbol(node);
    table.symbols[2][row] = this.symbol(op);
    table.symbols[3][row] = this.symbol(outcome);
    table.texts[0][row] = toJson(detail);
    if (table.length >= this.maxBatchRows) this.ship();
  }

  metric(tUs: number, node: string, name: string, value: number): void {
    this.assertOpen();
    const table = this.tables.metrics;
    const row = table.nextRow();
    table.numbers[0][row] = tUs;
    table.numbers[1][row] = value;
    table.symbols[0][row] = this.symbol(node);
    table.symbols[1][row] = this.symbol(name);
    if (table.length >= this.maxBatchRows) this.ship();
  }

  nodeStarted(
    node: string,
    incarnation: number,
    pid: number | null,
    pidStartTime: string | null,
    command: string[],
    tStartUs: number,
  ): void {
    this.assertOpen();
    const commandJson = JSON.stringify(command);
    this.nodeChanges.push({ kind: 'started', node, incarnation, pid, pidStartTime, commandJson, tStartUs });
    this.shipSoon();
  }

  nodeExited(node: string, incarnation: number, tExitUs: number, exitCode: number | null, signal: string | null): void {
    this.assertOpen();
    this.nodeChanges.push({ kind: 'exited', node, incarnation, tExitUs, exitCode, signal });
    this.shipSoon();
  }

  /**
   * Hands everything buffered to the worker now, without waiting for the flush interval, so
   * that its commits keep pace with a producer that does not yield. An in-thread recorder keeps
   * filling its batch: there, fewer and larger commits are faster.
   */
  shipBuffered(): void {
    if (this.worker) this.ship();
  }

  /** Resolves once every row handed in before this call is committed. */
  flush(): Promise<void> {
    const seq = this.ship();
    if (this.failure) return Promise.reject(this.failure);
    if (this.committedSeq >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  /** Flushes, then stops the worker. Rejects if any row could not be recorded. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.flush();
    } finally {
      await this.releaseWorker();
    }
  }

  /** Closes the run's database in the worker, then keeps the worker warm for the next run, or ends it after a failure. */
  private async releaseWorker(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.workerExited) return;
    await new Promise<void>((resolve) => {
      const done = (msg?: WorkerToRecorder) => {
        if (msg && msg.type !== 'closed') return;
        worker.off('message', done).off('exit', done);
        resolve();
      };
      worker.on('message', done).on('exit', done);
      worker.postMessage({ type: 'close' } satisfies RecorderToWorker);
    });
    worker.off('message', this.onWorkerMessage).off('error', this.onWorkerError).off('exit', this.onWorkerExit);
    if (this.failure || this.workerExited) await worker.terminate();
    else returnRecorderWorker(worker);
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('the recorder is closed; this row would be lost');
  }

  private symbol(value: string): number {
    let id = this.symbolIds.get(value);
    if (id === undefined) {
      id = this.symbolBase + this.newSymbols.length;
      this.symbolIds.set(value, id);
      this.newSymbols.push(value);
    }
    return id;
  }

  /** Node rows matter to the reaper after a crash, so they go out on the next turn of the loop. */
  private shipSoon(): void {
    if (this.shipScheduled) return;
    this.shipScheduled = true;
    setImmediate(() => {
      this.shipScheduled = false;
      this.ship();
    });
  }

  /** Sends everything buffered to the worker; returns the sequence number that covers it. */
  private ship(): number {
    let rows = this.nodeChanges.length;
    for (const table of Object.values(this.tables)) rows += table.length;
    if (rows === 0) return this.shippedSeq;

    const tables: RecorderBatch['tables'] = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, buffer] of Object.entries(this.tables) as Array<[RecordedTable, ColumnBuffer]>) {
      if (buffer.length === 0) continue;
      const batch = buffer.take();
      tables[name] = batch;
      for (const column of [...batch.numbers, ...batch.symbols]) transfer.push(column.buffer as ArrayBuffer);
    }
    const batch: RecorderToWorker = {
      type: 'batch',
      seq: ++this.shippedSeq,
      symbolBase: this.symbolBase,
      newSymbols: this.newSymbols,
      tables,
      nodeChanges: this.nodeChanges,
      rows,
    };
    if (this.worker) this.worker.postMessage(batch, transfer);
    this.rowsInFlight += rows;
    this.textBytesBySeq.set(batch.seq, this.textBytesBuffered);
    this.textBytesInFlight += this.textBytesBuffered;
    this.textBytesBuffered = 0;
    if (!this.underPressure && this.textBytesInFlight >= RECORDER_HIGH_WATER_BYTES) {
      this.underPressure = true;
      this.emit('pressure', true);
    }
    this.nodeChanges = [];
    this.symbolBase += this.newSymbols.length;
    this.newSymbols = [];
    if (this.symbolBase >= MAX_SYMBOLS) {
      this.symbolIds.clear();
      this.symbolBase = 0;
    }
    if (this.writeHere) this.commitHere(batch);
    return this.shippedSeq;
  }

  private commitHere(batch: RecorderBatch & { type: 'batch' }): void {
    try {
      this.writeHere!(batch);
      this.onWorkerMessage({ type: 'committed', seq: batch.seq, rows: batch.rows });
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private readonly onWorkerError = (err: Error): void => this.fail(err);

  private readonly onWorkerExit = (code: number): void => {
    this.workerExited = true;
    if (!this.closing) this.fail(new Error(`recorder worker exited unexpectedly (code ${code})`));
  };

  private readonly onWorkerMessage = (msg: WorkerToRecorder): void => {
    if (msg.type === 'committed') {
      this.committedSeq = msg.seq;
      this.rowsInFlight -= msg.rows;
      for (const [seq, bytes] of this.textBytesBySeq) {
        if (seq > msg.seq) break;
        this.textBytesInFlight -= bytes;
        this.textBytesBySeq.delete(seq);
      }
      if (this.underPressure && this.textBytesInFlight <= RECORDER_LOW_WATER_BYTES) {
        this.underPressure = false;
        // Closing, nobody may hand in rows any more: there is no one to tell.
        if (!this.closing) this.emit('pressure', false);
      }
      this.written += msg.rows;
      const done = this.waiters.filter((w) => w.seq <= msg.seq);
      this.waiters = this.waiters.filter((w) => w.seq > msg.seq);
      for (const waiter of done) waiter.resolve();
    } else if (msg.type === 'failed') {
      this.fail(reviveError(msg.error));
    }
  };

  /** Remembers the first failure: every later flush() and close() rejects with it. */
  private fail(err: Error): void {
    this.failure ??= err;
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) waiter.reject(this.failure);
    // Only emit to listeners: an unheard 'error' event would crash the engine, and the
    // failure still reaches whoever awaits flush() or close().
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }
}

function toJson(detail: unknown): string | null {
  return detail === undefined ? null : JSON.stringify(detail);
}

function reviveError(error: { name: string; message: string }): Error {
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}

/** A worker (warm if one is idle) told to open dbPath for runId; it answers 'ready' or 'failed'. */
function openInWorker(dbPath: string, runId: number, opts: RecorderOptions): Worker {
  const worker = takeRecorderWorker();
  worker.postMessage({ type: 'open', dbPath, runId, checkpointEveryPages: opts.checkpointEveryPages ?? null } satisfies RecorderToWorker);
  return worker;
}

/** Resolves on the worker's 'ready', rejects if it fails or exits first. */
function workerReady(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (msg: WorkerToRecorder) => {
      if (msg.type === 'idle') return; // the end of its previous recording
      cleanup();
      if (msg.type === 'ready') resolve();
      else if (msg.type === 'failed') reject(reviveError(msg.error));
      else reject(new Error(`recorder worker sent ${msg.type} before it was ready`));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`recorder worker exited during start (code ${code})`));
    };
    const cleanup = () => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}
