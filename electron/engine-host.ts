// The main process's side of the engine host (core/api/host-process.ts): calls matched to
// replies, events passed on, a crash noticed and the host restarted, and a graceful stop.
// The process itself comes from a factory, so that the same logic runs over Electron's
// utilityProcess in the app and over child_process.fork in the tests; no Electron import.
import type { ApiErrorPayload, EventName, RunId, RunStatusEvent } from '../core/api/contract.js';
import type { HostToParent, ParentToHost } from '../core/api/host-process.js';
import { isEventName } from './ipc-validation.js';

/** A running host process, whatever started it. */
export interface HostChannel {
  send(message: ParentToHost): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the process has ended; code null when it was ended by a signal. */
  onExit(listener: (code: number | null) => void): void;
  /** Ends the process at once (SIGKILL, or TerminateProcess on Windows). */
  kill(): void;
}

export type CallAnswer = { ok: true; result: unknown } | { ok: false; error: ApiErrorPayload };

export interface EngineHostOptions {
  spawn(): HostChannel;
  /** An event for the renderer. */
  onEvent(event: EventName, payload: unknown): void;
  /** The host ended on its own; `restarting` says whether a new one is on its way. */
  onCrash(info: { code: number | null; restarting: boolean; interruptedRuns: RunId[] }): void;
  /** The host cannot work at all (a foreign database, a native module for another runtime). */
  onFatal(error: ApiErrorPayload): void;
  /** How long a graceful stop may take before the host is killed. */
  stopGraceMs?: number;
  /** At most this many restarts within restartWindowMs; then the engine stays down. */
  maxRestarts?: number;
  restartWindowMs?: number;
}

type Phase = 'running' | 'stopping' | 'stopped' | 'fatal' | 'down';

/** Longer than the host's own grace for saving runs (HOST_CLOSE_GRACE_MS), so that it can finish. */
export const STOP_GRACE_MS = 8000;

export class EngineHost {
  private channel: HostChannel | null = null;
  private phase: Phase = 'stopped';
  private nextId = 1;
  private readonly pending = new Map<number, (answer: CallAnswer) => void>();
  private readonly liveRuns = new Set<RunId>();
  private readonly restarts: number[] = [];
  private fatalError: ApiErrorPayload | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: EngineHostOptions) {}

  /** True once the host has been stopped on purpose (or never started). */
  get stopped(): boolean {
    return this.phase === 'stopped';
  }

  start(): void {
    if (this.phase === 'running') return;
    this.phase = 'running';
    this.stopping = null;
    const channel = this.options.spawn();
    this.channel = channel;
    let markExited!: () => void;
    this.exited = new Promise((resolve) => (markExited = resolve));
    channel.onMessage((message) => {
      if (this.channel === channel) this.receive(message as HostToParent);
    });
    channel.onExit((code) => {
      markExited();
      if (this.channel === channel) this.ended(code);
    });
  }

  /** One API call; never throws: failures come back as error payloads, like the host's own. */
  call(method: string, arg: unknown): Promise<CallAnswer> {
    if (this.phase === 'fatal' && this.fatalError) return Promise.resolve({ ok: false, error: this.fatalError });
    if (this.phase !== 'running' || !this.channel) return Promise.resolve(unavailable(this.phase));
    const id = this.nextId++;
    const channel = this.channel;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        channel.send({ id, method, arg });
      } catch (error) {
        this.pending.delete(id);
        resolve({ ok: false, error: { kind: 'internal', message: `the call could not reach the engine: ${(error as Error).message}` } });
      }
    });
  }

  /** Asks the host to stop its runs and exit; kills it if it has not after the grace period. */
  stop(): Promise<void> {
    if (this.phase === 'stopped') return Promise.resolve();
    if (this.stopping) return this.stopping;
    const channel = this.channel;
    this.phase = 'stopping';
    this.stopping = (async () => {
      if (channel) {
        try {
          channel.send({ shutdown: true });
        } catch {
          channel.kill();
        }
        const grace = this.options.stopGraceMs ?? STOP_GRACE_MS;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, grace, 'late')));
        if ((await Promise.race([this.exited, late])) === 'late') {
          channel.kill();
          await this.exited;
        }
        clearTimeout(timer);
      }
      this.channel = null;
      this.phase = 'stopped';
      this.answerPending({ kind: 'internal', message: 'the engine was stopped' });
    })();
    return this.stopping;
  }

  private receive(message: HostToParent): void {
    if (typeof message !== 'object' || message === null) return;
    if ('id' in message) {
      const resolve = this.pending.get(message.id);
      if (!resolve) return;
      this.pending.delete(message.id);
      resolve(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
    } else if ('event' in message) {
      if (!isEventName(message.event)) return;
      if (message.event === 'run.status') this.track(message.payload as RunStatusEvent);
      this.options.onEvent(message.event, message.payload);
    } else if ('host' in message && message.host === 'fatal') {
      this.fatalError = message.error;
      this.phase = 'fatal';
      this.answerPending(message.error);
      this.options.onFatal(message.error);
    }
  }

  private track(status: RunStatusEvent): void {
    if (status.status === 'starting' || status.status === 'running') this.liveRuns.add(status.runId);
    else this.liveRuns.delete(status.runId);
  }

  private ended(code: number | null): void {
    this.channel = null;
    if (this.phase === 'stopping' || this.phase === 'stopped') return;
    if (this.phase === 'fatal') return;
    this.answerPending({ kind: 'internal', message: `the engine stopped unexpectedly (exit code ${code ?? 'none: killed by a signal'}); try again` });
    // The renderer still shows these runs live: tell it they ended. Their record up to the crash is kept.
    const interruptedRuns = [...this.liveRuns];
    this.liveRuns.clear();
    for (const runId of interruptedRuns) {
      this.options.onEvent('run.status', { runId, status: 'interrupted', notice: 'the engine stopped unexpectedly; the run was cut short' } satisfies RunStatusEvent);
    }
    const restarting = this.mayRestart();
    this.phase = 'down';
    this.options.onCrash({ code, restarting, interruptedRuns });
    if (restarting) this.start();
  }

  private mayRestart(): boolean {
    const now = Date.now();
    const windowMs = this.options.restartWindowMs ?? 60_000;
    while (this.restarts.length > 0 && now - this.restarts[0] > windowMs) this.restarts.shift();
    if (this.restarts.length >= (this.options.maxRestarts ?? 3)) return false;
    this.restarts.push(now);
    return true;
  }

  private answerPending(error: ApiErrorPayload): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const resolve of waiting) resolve({ ok: false, error });
  }
}

function unavailable(phase: Phase): CallAnswer {
  const message =
    phase === 'down'
      ? 'the engine stopped several times in a row and was not restarted; restart Distlab'
      : phase === 'stopping'
        ? 'the engine is shutting down'
        : 'the engine is not running';
  return { ok: false, error: { kind: 'internal', message } };
}
