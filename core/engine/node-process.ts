// One node of the run: its OS process (across restarts), its link to the switch
// (a TCP socket for built-in programs, stdio for external ones) and its lifecycle.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { statSync } from 'node:fs';
import type net from 'node:net';
import type { Writable } from 'node:stream';
import type { NodeId } from '../experiment/types.js';
import type { Endpoint, Handover } from './switch.js';
import { LineSplitter } from './line-splitter.js';
import { processStartTime } from './process-identity.js';
import { Outbox, type Settle } from './outbox.js';
import type { InFlight } from './delivery-queue.js';
import { DEFAULT_INBOX_LIMIT_BYTES } from '../experiment/schema.js';

export type NodeState = 'starting' | 'up' | 'paused' | 'exited' | 'failed';

export interface LaunchSpec {
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Built-in programs talk to the switch over TCP; external ones over stdio. */
  transport: 'tcp' | 'stdio';
}

export interface NodeObserver {
  started(node: ManagedNode, pid: number | null, startTime: string | null): void;
  exited(node: ManagedNode, code: number | null, signal: string | null, expected: boolean): void;
  spawnFailed(node: ManagedNode, error: Error): void;
  stderrLine(node: ManagedNode, line: string): void;
  /** A stdout line from an external node, already split; the bridge turns it into a message. */
  stdoutLine(node: ManagedNode, line: string): void;
  oversizedLine(node: ManagedNode, bytes: number): void;
  /** The node's inbound queue reached its limit: messages to it overflow until it drains. */
  inboxFull(node: ManagedNode, limitBytes: number): void;
  /** The queue drained to half its limit again; `dropped` messages overflowed meanwhile. */
  inboxDrained(node: ManagedNode, dropped: number): void;
}

export class ManagedNode implements Endpoint {
  reachable = false;
  state: NodeState = 'starting';
  incarnation = 0;
  private child: ChildProcess | null = null;
  private socket: net.Socket | null = null;
  /** What the switch handed over and is not yet written to the socket or stdin. */
  private outbox: Outbox | null = null;
  /** Messages dropped since the inbound queue became full; null while it is not full. */
  private overflowing: number | null = null;
  private inputPaused = false;
  private expectingExit = false;
  private exitWaiters: Array<() => void> = [];

  constructor(
    readonly id: NodeId,
    readonly address: number,
    private readonly launch: LaunchSpec,
    private readonly observer: NodeObserver,
    private readonly inboxLimitBytes = DEFAULT_INBOX_LIMIT_BYTES,
    private readonly niceness = MILDEST_NICENESS,
  ) {}

  /** Messages and bytes handed to this node and not yet written to it. */
  get backlog(): { messages: number; bytes: number } {
    return this.outbox?.backlog ?? { messages: 0, bytes: 0 };
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get alive(): boolean {
    return this.child !== null && this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process; resolves once it is running (true) or could not be started (false). */
  start(): Promise<boolean> {
    this.incarnation++;
    this.state = 'starting';
    this.expectingExit = false;
    let child: ChildProcess;
    try {
      child = spawn(this.launch.argv[0], this.launch.argv.slice(1), {
        env: { ...process.env, ...this.launch.env, DISTLAB_INCARNATION: String(this.incarnation) },
        cwd: this.launch.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      this.fail(error as Error);
      return Promise.resolve(false);
    }
    this.child = child;
    const started = new Promise<boolean>((resolve) => {
      child.once('spawn', () => resolve(true));
      child.once('error', (error) => {
        // A missing executable surfaces here, asynchronously, with no pid.
        if (child.pid === undefined) this.fail(error);
        resolve(false);
      });
    });
    child.stdin?.on('error', () => {});
    if (this.launch.transport === 'stdio' && child.stdin) this.useOutbox(child.stdin, (m) => `{"src":${JSON.stringify(m.srcId)},"dest":${JSON.stringify(this.id)},"body":${m.body}}\n`);
    const stderr = new LineSplitter(
      (line) => this.observer.stderrLine(this, line),
      (bytes) => this.observer.oversizedLine(this, bytes),
    );
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    // Whole lines, decoded once complete: a character split across two chunks stays whole.
    const stdout = new LineSplitter(
      (line) => this.observer.stdoutLine(this, line),
      (bytes) => this.observer.oversizedLine(this, bytes),
    );
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    if (child.pid !== undefined) {
      lowerPriority(child.pid, this.niceness);
      this.observer.started(this, child.pid, processStartTime(child.pid));
    }
    return started;
  }

  attachSocket(socket: net.Socket): void {
    this.socket = socket;
    this.useOutbox(socket, (m) => m.frame);
    if (this.inputPaused) socket.pause();
    socket.once('close', () => {
      if (this.socket === socket) {
        this.socket = null;
        this.reachable = false;
        this.dropOutbox();
      }
    });
  }

  markUp(): void {
    this.state = 'up';
    this.reachable = true;
  }

  deliver(message: InFlight, settle: Settle): Handover {
    const outbox = this.outbox;
    if (!outbox) return 'gone';
    if (!outbox.push(message, settle)) {
      if (this.overflowing === null) {
        this.overflowing = 0;
        this.observer.inboxFull(this, this.inboxLimitBytes);
      }
      this.overflowing++;
      return 'full';
    }
    if (this.overflowing !== null && outbox.backlog.bytes <= this.inboxLimitBytes / 2) {
      this.observer.inboxDrained(this, this.overflowing);
      this.overflowing = null;
    }
    return 'pending';
  }

  /** Stops (or resumes) reading what the node sends, while the recorder catches up. */
  setInputPaused(paused: boolean): void {
    this.inputPaused = paused;
    for (const stream of [this.socket, this.child?.stdout, this.child?.stderr]) {
      if (!stream) continue;
      if (paused) stream.pause();
      else stream.resume();
    }
  }

  endTraffic(): void {
    this.outbox?.settleAll('in-flight-at-end');
  }

  private useOutbox(stream: Writable, encode: (message: InFlight) => Buffer | string): void {
    this.dropOutbox();
    this.outbox = new Outbox(stream, this.inboxLimitBytes, encode);
  }

  /** The node's stream is gone: what it had not been written is undeliverable. */
  private dropOutbox(): void {
    this.outbox?.settleAll('failed');
    this.outbox = null;
    if (this.overflowing !== null) this.observer.inboxDrained(this, this.overflowing);
    this.overflowing = null;
  }

  /** Sends a control message (init) from the engine, bypassing the link model. */
  sendControl(frame: Buffer, line: string): void {
    if (this.launch.transport === 'stdio') this.child?.stdin?.write(line + '\n');
    else this.socket?.write(frame);
  }

  /** Tells a built-in node the switch's endpoints again, now that a node joined; external nodes use names. */
  sendEndpoints(frame: Buffer): void {
    if (this.launch.transport === 'tcp') this.socket?.write(frame);
  }

  signal(signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): boolean {
    if (!this.alive || !this.child) return false;
    if (signal === 'SIGKILL' || signal === 'SIGTERM') this.expectingExit = true;
    if (signal === 'SIGSTOP') this.state = 'paused';
    if (signal === 'SIGCONT' && this.state === 'paused') this.state = 'up';
    return this.child.kill(signal);
  }

  /**
   * Ends the process: SIGTERM (and EOF on stdin), then SIGKILL after graceMs. The switch
   * link stays open until the node closes it, so the node's last telemetry arrives.
   */
  async shutdown(graceMs: number): Promise<void> {
    if (!this.alive) return;
    this.expectingExit = true;
    this.reachable = false;
    this.child?.stdin?.end();
    this.child?.kill('SIGCONT');
    this.child?.kill('SIGTERM');
    const killer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.waitForExit();
    clearTimeout(killer);
  }

  waitForExit(): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** Last resort on engine exit: synchronous, no waiting. */
  killNow(): void {
    if (this.alive) this.child?.kill('SIGKILL');
  }

  private fail(error: Error): void {
    this.child = null;
    this.state = 'failed';
    this.reachable = false;
    this.observer.spawnFailed(this, new Error(explainSpawnError(error as NodeJS.ErrnoException, this.launch)));
    const waiters = this.exitWaiters.splice(0);
    waiters.forEach((w) => w());
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.state = this.state === 'failed' ? 'failed' : 'exited';
    this.reachable = false;
    this.socket?.destroy();
    this.socket = null;
    this.dropOutbox();
    if (child.pid !== undefined) this.observer.exited(this, code, signal, this.expectingExit);
    const waiters = this.exitWaiters.splice(0);
    waiters.forEach((w) => w());
  }
}

function explainSpawnError(error: NodeJS.ErrnoException, launch: LaunchSpec): string {
  const program = launch.argv[0];
  if (error.code === 'ENOENT' && launch.cwd && !isDirectory(launch.cwd)) return `working directory not found: ${launch.cwd} (nodes.cwd)`;
  if (error.code === 'ENOENT') return `executable not found: ${program}${launch.cwd ? ` (working directory ${launch.cwd})` : ''}`;
  if (error.code === 'EACCES') return `not allowed to execute ${program} (check its permissions)`;
  return `${program}: ${error.message}`;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Linux's CPU weight of each nice level, 0…19 (sched_prio_to_weight). */
const NICE_WEIGHTS = [1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87, 70, 56, 45, 36, 29, 23, 18, 15];
const MILDEST_NICENESS = 5;

/**
 * How far below the engine the nodes of a run go. On a busy machine the engine (the switch,
 * which plays the network, the fault schedule and the recorder) must run first and keep its
 * timing, while the nodes share what is left. A fixed notch is not enough: 80 nodes at nice 5
 * outweigh the engine 26 to 1 and the schedule slipped by seconds. So the nodes together weigh
 * at most what the engine's thread weighs, and a few nodes stay at the mildest notch, where
 * they still hold their own against the machine's other programs.
 */
export function nodeNiceness(nodeCount: number): number {
  const budget = NICE_WEIGHTS[0] / Math.max(1, nodeCount);
  const nice = NICE_WEIGHTS.findIndex((weight) => weight <= budget);
  return Math.max(MILDEST_NICENESS, nice === -1 ? NICE_WEIGHTS.length - 1 : nice);
}

function lowerPriority(pid: number, niceness: number): void {
  try {
    os.setPriority(pid, Math.min(19, Math.max(os.getPriority(), niceness)));
  } catch {
    // Not permitted on some systems; the run goes on at equal priority.
  }
}
