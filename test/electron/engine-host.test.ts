// The main process's engine-host logic (electron/engine-host.ts) over real host processes,
// started here with child_process.fork where the app uses utilityProcess.fork.
import { describe, it, expect, afterEach } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiErrorPayload, RunStatusEvent } from '../../core/api/contract.js';
import { EngineHost, type CallAnswer, type HostChannel } from '../../electron/engine-host.js';
import { childPids, pidAlive, repoRoot, sleep, tempDbPath, tempDir } from '../integration/helpers.js';

const hostEntry = path.join(repoRoot, 'dist/core/api/host-process.js');
const children: ChildProcess[] = [];

function forkChannel(dbPath: string): HostChannel & { child: ChildProcess } {
  const child = fork(hostEntry, ['--db', dbPath], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  children.push(child);
  return {
    child,
    send: (message) => child.send(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => child.kill('SIGKILL'),
  };
}

interface Harness {
  host: EngineHost;
  spawned: Array<HostChannel & { child: ChildProcess }>;
  events: Array<{ event: string; payload: unknown }>;
  crashes: Array<{ code: number | null; restarting: boolean; interruptedRuns: number[] }>;
  fatals: ApiErrorPayload[];
}

function harness(dbPath = tempDbPath(), options: { maxRestarts?: number; stopGraceMs?: number } = {}): Harness {
  const h: Harness = { host: null!, spawned: [], events: [], crashes: [], fatals: [] };
  h.host = new EngineHost({
    spawn: () => {
      const channel = forkChannel(dbPath);
      h.spawned.push(channel);
      return channel;
    },
    onEvent: (event, payload) => h.events.push({ event, payload }),
    onCrash: (info) => h.crashes.push(info),
    onFatal: (error) => h.fatals.push(error),
    ...options,
  });
  return h;
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

const result = (answer: CallAnswer) => {
  if (!answer.ok) throw new Error(`call failed: ${answer.error.message}`);
  return answer.result;
};

const LONG_ECHO = 'name: long\nseed: 3\nduration: 60s\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 20, clients: 1 }';

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('EngineHost', () => {
  it('matches concurrent calls to their replies and passes input errors through', async () => {
    const { host } = harness();
    host.start();
    const [programs, presets, bad] = await Promise.all([
      host.call('programs.list', null),
      host.call('runs.list', null),
      host.call('runs.get', { runId: -1 }),
    ]);
    expect((result(programs) as Array<{ name: string }>).map((p) => p.name)).toContain('phi-accrual');
    expect(result(presets)).toEqual([]);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'input', problems: [{ path: 'runId' }] } });
    await host.stop();
    expect(host.stopped).toBe(true);
    expect(await host.call('runs.list', null)).toMatchObject({ ok: false, error: { message: 'the engine is not running' } });
  });

  it('after a crash: answers the waiting calls, ends the live runs for the page, restarts the host', async () => {
    const h = harness();
    h.host.start();
    const { runId } = result(await h.host.call('run.start', { text: LONG_ECHO })) as { runId: number };
    await until(() => h.events.some((e) => e.event === 'run.status' && (e.payload as RunStatusEvent).status === 'running'));
    const nodes = childPids(h.spawned[0].child.pid!);
    expect(nodes).toHaveLength(2);

    const waiting = h.host.call('runs.messages', { runId, fromMs: 0, toMs: 1e9, limit: 10 });
    h.spawned[0].child.kill('SIGKILL');
    const answer = await waiting;
    // Either the host answered before it died, or the call is told the engine stopped.
    if (!answer.ok) expect(answer.error.message).toContain('the engine stopped unexpectedly');

    await until(() => h.crashes.length === 1);
    expect(h.crashes[0]).toEqual({ code: null, restarting: true, interruptedRuns: [runId] });
    expect(h.events.at(-1)).toEqual({ event: 'run.status', payload: { runId, status: 'interrupted', notice: expect.stringContaining('engine stopped unexpectedly') } });
    // The new host marks the dead engine's run interrupted, and the nodes left on their own.
    const runs = result(await h.host.call('runs.list', null)) as Array<{ id: number; status: string }>;
    expect(runs.find((r) => r.id === runId)?.status).toBe('interrupted');
    expect(h.spawned).toHaveLength(2);
    await until(() => nodes.every((pid) => !pidAlive(pid)), 5000);
    await h.host.stop();
  });

  it('gives up restarting after repeated crashes', async () => {
    const h = harness(tempDbPath(), { maxRestarts: 1 });
    h.host.start();
    await h.host.call('lab.info', null);
    h.spawned[0].child.kill('SIGKILL');
    await until(() => h.crashes.length === 1 && h.spawned.length === 2);
    await h.host.call('lab.info', null);
    h.spawned[1].child.kill('SIGKILL');
    await until(() => h.crashes.length === 2);
    expect(h.crashes.map((c) => c.restarting)).toEqual([true, false]);
    expect(await h.host.call('lab.info', null)).toMatchObject({ ok: false, error: { message: expect.stringContaining('was not restarted') } });
  });

  it('stops gracefully: active runs are saved as interrupted and their nodes end', async () => {
    const dbPath = tempDbPath();
    const h = harness(dbPath);
    h.host.start();
    const { runId } = result(await h.host.call('run.start', { text: LONG_ECHO })) as { runId: number };
    await until(() => h.events.some((e) => e.event === 'run.status' && (e.payload as RunStatusEvent).status === 'running'));
    const nodes = childPids(h.spawned[0].child.pid!);
    const exit = new Promise<number | null>((resolve) => h.spawned[0].child.once('exit', resolve));
    await h.host.stop();
    expect(await exit).toBe(0);
    expect(nodes.every((pid) => !pidAlive(pid))).toBe(true);
    expect(h.crashes).toEqual([]);

    const again = harness(dbPath);
    again.host.start();
    expect(result(await again.host.call('runs.list', null))).toMatchObject([{ id: runId, status: 'interrupted' }]);
    await again.host.stop();
  });

  it('kills a host that does not stop within the grace period', async () => {
    const h = harness(tempDbPath(), { stopGraceMs: 300 });
    h.host.start();
    await h.host.call('lab.info', null);
    h.spawned[0].child.kill('SIGSTOP'); // a frozen host cannot answer the shutdown
    const started = Date.now();
    await h.host.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(h.spawned[0].child.signalCode).toBe('SIGKILL');
  });

  it('reports a host that cannot open its database as fatal and does not restart it', async () => {
    const notADatabase = path.join(tempDir(), 'notes.db');
    writeFileSync(notADatabase, 'these are my notes, not a database\n'.repeat(10));
    const h = harness(notADatabase);
    h.host.start();
    await until(() => h.fatals.length === 1);
    expect(h.fatals[0].message).toContain('refusing to touch it');
    await until(() => h.spawned[0].child.exitCode !== null);
    await sleep(100);
    expect(h.crashes).toEqual([]);
    expect(h.spawned).toHaveLength(1);
    expect(await h.host.call('runs.list', null)).toEqual({ ok: false, error: h.fatals[0] });
    await h.host.stop();
  });
});
