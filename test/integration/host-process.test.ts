// The desktop app's engine host, run the way plain Node can run it: child_process.fork of the
// built entry, speaking the same messages Electron's utilityProcess carries.
import { describe, it, expect, afterEach } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { HostToParent, HostReply, HostEvent, HostState } from '../../core/api/host-process.js';
import type { ProgramInfo } from '../../core/sdk/protocol.js';
import type { RunData, RunStatusEvent } from '../../core/api/contract.js';
import { childPids, pidAlive, repoRoot, sleep, tempDbPath } from './helpers.js';

const hostEntry = path.join(repoRoot, 'dist/core/api/host-process.js');

interface Host {
  child: ChildProcess;
  messages: HostToParent[];
  call(method: string, arg: unknown): Promise<HostReply>;
  waitFor<T extends HostToParent>(match: (m: HostToParent) => m is T, timeoutMs?: number): Promise<T>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];

function startHost(dbPath = tempDbPath(), args: string[] = [], env: NodeJS.ProcessEnv = {}): Host {
  const child = fork(hostEntry, ['--db', dbPath, ...args], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env: { ...process.env, ...env } });
  started.push(child);
  const messages: HostToParent[] = [];
  const waiters: Array<() => void> = [];
  child.on('message', (m) => {
    messages.push(m as HostToParent);
    for (const wake of waiters.splice(0)) wake();
  });
  let nextId = 1;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const waitFor = <T extends HostToParent>(match: (m: HostToParent) => m is T, timeoutMs = 20_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message from the host within ${timeoutMs} ms`)), timeoutMs);
      const look = () => {
        const found = messages.find(match);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(look);
      };
      look();
    });

  return {
    child,
    messages,
    exited,
    waitFor,
    call(method, arg) {
      const id = nextId++;
      child.send({ id, method, arg });
      return waitFor((m): m is HostReply => 'id' in m && m.id === id);
    },
  };
}

const isReady = (m: HostToParent): m is Extract<HostState, { host: 'ready' }> => 'host' in m && m.host === 'ready';
const isEvent = (m: HostToParent): m is HostEvent => 'event' in m;
const statusOf = (runId: number, status: RunStatusEvent['status']) => (m: HostToParent): m is HostEvent =>
  isEvent(m) && m.event === 'run.status' && (m.payload as RunStatusEvent).runId === runId && (m.payload as RunStatusEvent).status === status;

function echoExperiment(duration: string): string {
  return [
    'name: host-echo',
    'seed: 7',
    `duration: ${duration}`,
    'nodes: { count: 2, program: echo }',
    'workload: { kind: echo, rate: 40, clients: 1 }',
  ].join('\n');
}

async function runningNodes(host: Host, runId: number): Promise<number[]> {
  await host.waitFor(statusOf(runId, 'running'));
  const pids = childPids(host.child.pid!);
  expect(pids.length).toBe(2);
  return pids;
}

async function allGone(pids: number[], withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (pids.every((pid) => !pidAlive(pid))) return true;
    await sleep(50);
  }
  return pids.every((pid) => !pidAlive(pid));
}

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('engine host process (child_process.fork)', () => {
  it('answers calls, validates, runs an experiment and streams its data and status', async () => {
    const host = startHost();
    await host.waitFor(isReady);

    const programs = await host.call('programs.list', null);
    expect(programs.ok).toBe(true);
    const names = ((programs as Extract<HostReply, { ok: true }>).result as ProgramInfo[]).map((p) => p.name);
    expect(names).toContain('echo');
    expect(names).toContain('raft');

    const valid = await host.call('experiment.validate', { text: echoExperiment('1s') });
    expect(valid).toMatchObject({ ok: true, result: { ok: true, name: 'host-echo', nodes: ['n1', 'n2'] } });
    const invalid = await host.call('experiment.validate', { text: 'name: x\nnodes: { count: 0, program: echo }' });
    expect(invalid).toMatchObject({ ok: true, result: { ok: false } });
    const badArg = await host.call('run.stop', { runId: 'seven' });
    expect(badArg).toMatchObject({ ok: false, error: { kind: 'input' } });
    const unknown = await host.call('lab.selfDestruct', null);
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'input', message: expect.stringContaining('unknown method') } });

    const startedRun = await host.call('run.start', { text: echoExperiment('1500ms') });
    expect(startedRun.ok).toBe(true);
    const { runId } = (startedRun as Extract<HostReply, { ok: true }>).result as { runId: number };

    await host.waitFor(statusOf(runId, 'running'));
    const done = await host.waitFor(statusOf(runId, 'completed'));
    expect((done.payload as RunStatusEvent).summary?.ops.ok).toBeGreaterThan(10);

    const data = host.messages.filter(isEvent).filter((m) => m.event === 'run.data').map((m) => m.payload as RunData);
    expect(data.length).toBeGreaterThan(5);
    expect(data.every((d) => d.runId === runId)).toBe(true);
    expect(data.reduce((sum, d) => sum + d.operations.length, 0)).toBeGreaterThan(10);
    expect(data.some((d) => d.traffic.length > 0)).toBe(true);

    const runs = await host.call('runs.list', null);
    expect(runs).toMatchObject({ ok: true, result: [{ id: runId, status: 'completed' }] });

    host.child.send({ shutdown: true });
    expect(await host.exited).toEqual({ code: 0, signal: null });
  });

  it('on SIGTERM stops the active run, records it as interrupted and leaves no node behind', async () => {
    const dbPath = tempDbPath();
    const host = startHost(dbPath);
    await host.waitFor(isReady);
    const reply = (await host.call('run.start', { text: echoExperiment('60s') })) as Extract<HostReply, { ok: true }>;
    const { runId } = reply.result as { runId: number };
    const nodes = await runningNodes(host, runId);

    host.child.kill('SIGTERM');
    expect(await host.exited).toEqual({ code: 0, signal: null });
    expect(await allGone(nodes, 1000)).toBe(true);

    // The record was saved: a new host over the same file lists the run as interrupted.
    const again = startHost(dbPath);
    await again.waitFor(isReady);
    expect(await again.call('runs.list', null)).toMatchObject({ ok: true, result: [{ id: runId, status: 'interrupted' }] });
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('shuts down when its parent goes away', async () => {
    const host = startHost();
    await host.waitFor(isReady);
    const reply = (await host.call('run.start', { text: echoExperiment('60s') })) as Extract<HostReply, { ok: true }>;
    const nodes = await runningNodes(host, (reply.result as { runId: number }).runId);

    host.child.disconnect();
    expect(await host.exited).toEqual({ code: 0, signal: null });
    expect(await allGone(nodes, 1000)).toBe(true);
  });

  it('when SIGKILLed, its nodes exit by themselves', async () => {
    const host = startHost();
    await host.waitFor(isReady);
    const reply = (await host.call('run.start', { text: echoExperiment('60s') })) as Extract<HostReply, { ok: true }>;
    const nodes = await runningNodes(host, (reply.result as { runId: number }).runId);

    host.child.kill('SIGKILL');
    expect((await host.exited).signal).toBe('SIGKILL');
    expect(await allGone(nodes, 5000)).toBe(true);
  });

  it('opens SQLite with the native binding named by DISTLAB_SQLITE_BINDING, in the host and in the recorder worker', async () => {
    const binding = path.join(repoRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    const good = startHost(tempDbPath(), [], { DISTLAB_SQLITE_BINDING: binding });
    await good.waitFor(isReady);
    const reply = (await good.call('run.start', { text: echoExperiment('500ms') })) as Extract<HostReply, { ok: true }>;
    await good.waitFor(statusOf((reply.result as { runId: number }).runId, 'completed'));
    good.child.kill('SIGTERM');
    await good.exited;

    const missing = path.join(repoRoot, 'build/no-such-dir/better_sqlite3.node');
    const bad = startHost(tempDbPath(), [], { DISTLAB_SQLITE_BINDING: missing });
    const fatal = await bad.waitFor((m): m is Extract<HostState, { host: 'fatal' }> => 'host' in m && m.host === 'fatal');
    expect(fatal.error.message).toContain('no-such-dir');
    expect((await bad.exited).code).toBe(2);
  });

  it('reports a database it must not touch as fatal and exits', async () => {
    const host = startHost(path.join(hostEntry)); // a JavaScript file is not a database
    const fatal = await host.waitFor((m): m is Extract<HostState, { host: 'fatal' }> => 'host' in m && m.host === 'fatal');
    expect(fatal.error.message).toContain('refusing to touch it');
    expect((await host.exited).code).toBe(2);
  });
});
