// One node of the run: its OS process (across restarts), its link to the switch
// (a TCP socket for built-in programs, stdio for external ones) and its lifecycle.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type net from 'node:net';
import type { NodeId } from '../experiment/types.js';
import type { Endpoint } from './switch.js';
import { LineSplitter } from './line-splitter.js';
import { processStartTime } from './process-identity.js';
import { frameBody } from '../sdk/wire.js';

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
}

export class ManagedNode implements Endpoint {
  reachable = false;
  state: NodeState = 'starting';
  incarnation = 0;
  private child: ChildProcess | null = null;
  private socket: net.Socket | null = null;
  private corked = false;
  private expectingExit = false;
  private exitWaiters: Array<() => void> = [];

  constructor(
    readonly id: NodeId,
    readonly address: number,
    private readonly launch: LaunchSpec,
    private readonly observer: NodeObserver,
  ) {}

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
        env: { ...process.env, ...this.launch.env },
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
    const stderr = new LineSplitter(
      (line) => this.observer.stderrLine(this, line),
      (bytes) => this.observer.oversizedLine(this, bytes),
    );
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    if (this.launch.transport === 'stdio') {
      const stdout = new LineSplitter(
        (line) => this.observer.stdoutLine(this, line),
        (bytes) => this.observer.oversizedLine(this, bytes),
      );
      child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    } else {
      child.stdout?.on('data', (chunk: Buffer) => this.observer.stdoutLine(this, chunk.toString('utf8')));
    }
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    if (child.pid !== undefined) {
      lowerPriority(child.pid);
      this.observer.started(this, child.pid, processStartTime(child.pid));
    }
    return started;
  }

  attachSocket(socket: net.Socket): void {
    this.socket = socket;
    socket.once('close', () => {
      if (this.socket === socket) {
        this.socket = null;
        this.reachable = false;
      }
    });
  }

  markUp(): void {
    this.state = 'up';
    this.reachable = true;
  }

  deliver(frame: Buffer, srcId: NodeId): void {
    if (this.launch.transport === 'stdio') {
      this.child?.stdin?.write(`{"src":${JSON.stringify(srcId)},"dest":${JSON.stringify(this.id)},"body":${frameBody(frame)}}\n`);
      return;
    }
    const socket = this.socket;
    if (!socket) return;
    // Frames delivered in one turn of the event loop leave in one syscall.
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    socket.write(frame);
  }

  /** Sends a control message (init) from the engine, bypassing the link model. */
  sendControl(frame: Buffer, line: string): void {
    if (this.launch.transport === 'stdio') this.child?.stdin?.write(line + '\n');
    else this.socket?.write(frame);
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
    if (child.pid !== undefined) this.observer.exited(this, code, signal, this.expectingExit);
    const waiters = this.exitWaiters.splice(0);
    waiters.forEach((w) => w());
  }
}

function explainSpawnError(error: NodeJS.ErrnoException, launch: LaunchSpec): string {
  const program = launch.argv[0];
  if (error.code === 'ENOENT') return `executable not found: ${program}${launch.cwd ? ` (working directory ${launch.cwd})` : ''}`;
  if (error.code === 'EACCES') return `not allowed to execute ${program} (check its permissions)`;
  return `${program}: ${error.message}`;
}

/**
 * Nodes run one notch below the engine, so that on a busy machine the switch, which
 * plays the network, keeps its timing while the nodes share what is left equally.
 */
const NODE_NICENESS = 5;
function lowerPriority(pid: number): void {
  try {
    os.setPriority(pid, Math.min(19, os.getPriority() + NODE_NICENESS));
  } catch {
    // Not permitted on some systems; the run goes on at equal priority.
  }
}
