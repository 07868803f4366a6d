// The Lab with real node processes: a run started through the API streams its data live,
// takes faults from the API, and its recording agrees with what was streamed.
import { beforeAll, describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { ApiError } from '../../core/api/errors.js';
import { labUnderTest } from './lab-under-test.js';
import type { RunData, RunStatusEvent } from '../../core/api/contract.js';
import { pidAlive } from './helpers.js';

const ECHO = `# A short echo run for the API tests
name: api-echo
seed: 8
duration: 2s
nodes: { count: 3, program: echo }
network: { latency: { distribution: uniform, mean: 2ms, jitter: 1ms } }
workload: { kind: echo, rate: 100, clients: 3 }
`;

const t = labUnderTest(20_000, 10);
const { data, statuses, until, finalStatus } = t;

describe('a run through the Lab', () => {
  let runId: number;
  let final: RunStatusEvent;
  let increments: RunData[];
  let midway: RunData;

  beforeAll(async () => {
    ({ runId } = await t.lab.invoke('run.start', { text: ECHO }));
    // Asked before the first increment, the history is empty but numbered: every increment is new to it.
    expect((await t.lab.invoke('runs.data', { runId })).seq).toBe(0);
    expect(await t.lab.invoke('run.active', null)).toContain(runId);
    await until(() => statuses.find((s) => s.runId === runId && s.status === 'running'));
    // Give the echo traffic a moment, then kill a node from the API.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await t.lab.invoke('run.fault', { runId, fault: { kill: 'n2' } })).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    midway = await t.lab.invoke('runs.data', { runId });
    final = await finalStatus(runId);
    increments = data.filter((d) => d.runId === runId);
  }, 30_000);

  it('reports starting, running, then completed with the summary', () => {
    const mine = statuses.filter((s) => s.runId === runId && !s.notice).map((s) => s.status);
    expect(mine).toEqual(['starting', 'running', 'completed']);
    expect(final.summary).toMatchObject({ runId, name: 'api-echo', status: 'completed', seed: 8 });
    expect(final.summary!.ops.ok).toBeGreaterThan(10);
  });

  it('streams increments about 20 times a second, with traffic that adds up to the summary’s counts', () => {
    // ~2 s of run plus bring-up and shutdown at 20 Hz.
    expect(increments.length).toBeGreaterThanOrEqual(15);
    const m = final.summary!.messages;
    const sum = (i: 1 | 2 | 3) => increments.reduce((total, d) => total + d.traffic.reduce((t, b) => t + b[i], 0), 0);
    expect(sum(1)).toBe(m.sent);
    expect(sum(2)).toBe(m.delivered + m.duplicated);
    expect(sum(3)).toBe(m.lost + m.partitioned + m.overflow + m.undeliverable);
    expect(increments.reduce((n, d) => n + d.operations.filter((op) => op[2] === 'ok').length, 0)).toBe(final.summary!.ops.ok);
    // Untils move forward; the message samples carry the nodes' Lamport clocks on replies.
    for (let i = 1; i < increments.length; i++) expect(increments[i].untilMs).toBeGreaterThanOrEqual(increments[i - 1].untilMs);
    const messages = increments.flatMap((d) => d.messages);
    expect(messages.length).toBe(m.sent + m.duplicated); // few messages: every one is in the sample
    expect(messages.some((msg) => msg[3] === 'echo_ok' && typeof msg[7] === 'number' && msg[7] > 0)).toBe(true);
  });

  it('numbers its increments, and gives a view that opens late everything streamed so far', () => {
    expect(increments.map((d) => d.seq)).toEqual(increments.map((_, i) => i + 1));
    expect(midway.seq).toBeGreaterThan(0);
    const before = increments.filter((d) => d.seq! <= midway.seq!);
    const sum = (list: RunData[], i: 1 | 2 | 3) => list.reduce((total, d) => total + d.traffic.reduce((t, b) => t + b[i], 0), 0);
    for (const i of [1, 2, 3] as const) expect(sum([midway], i)).toBe(sum(before, i));
    expect(midway.operations).toEqual(before.flatMap((d) => d.operations));
    expect(midway.faults).toEqual(before.flatMap((d) => d.faults));
    expect(midway.messages).toEqual(before.flatMap((d) => d.messages));
    expect(midway.untilMs).toBe(before.at(-1)!.untilMs);
    expect(midway.nodes.n2).toBe('exited');
  });

  it('shows the live kill in faults, events and node states as it happens', () => {
    const faults = increments.flatMap((d) => d.faults);
    expect(faults).toEqual([[expect.any(Number), 'kill', { nodes: ['n2'], signal: 'SIGKILL' }, 'live']]);
    // A killed node exits (the engine expected it), by SIGKILL, before the run ends.
    const exit = increments.flatMap((d) => d.events).find((e) => e[1] === 'n2' && e[2] === 'exit');
    expect(exit).toBeDefined();
    expect(exit![0]).toBeGreaterThanOrEqual(faults[0][0]);
    expect(exit![3]).toMatchObject({ signal: 'SIGKILL' });
    expect(increments.some((d) => d.nodes.n2 === 'exited' && d.nodes.n1 === 'up')).toBe(true);
    const last = increments[increments.length - 1];
    expect(last.nodes).toEqual({ n1: 'exited', n2: 'exited', n3: 'exited' });
    expect(increments.flatMap((d) => d.events).some((e) => e[2] === 'recv')).toBe(false);
  });

  it('is no longer active, and its recording agrees with the summary and the stream', async () => {
    expect(await t.lab.invoke('run.active', null)).not.toContain(runId);
    const recorded = await t.lab.invoke('runs.data', { runId });
    const m = final.summary!.messages;
    const sum = (i: 1 | 2 | 3) => recorded.traffic.reduce((t, b) => t + b[i], 0);
    expect(sum(1)).toBe(m.sent);
    expect(sum(2)).toBe(m.delivered + m.duplicated);
    expect(sum(3)).toBe(m.lost + m.partitioned + m.overflow + m.undeliverable);
    expect(recorded.operations.filter((op) => op[2] === 'ok')).toHaveLength(final.summary!.ops.ok);
    expect(recorded.operations).toHaveLength(increments.reduce((n, d) => n + d.operations.length, 0));
    expect(recorded.faults).toEqual([[expect.any(Number), 'kill', { nodes: ['n2'], signal: 'SIGKILL' }, 'live']]);
    expect(recorded.nodes).toEqual({ n1: 'exited', n2: 'exited', n3: 'exited' });
    expect(recorded.untilMs).toBe(final.summary!.durationMs);
    // Live traffic buckets, merged, are the recorded ones.
    const merged = new Map<number, number[]>();
    for (const [ms, ...counts] of increments.flatMap((d) => d.traffic)) merged.set(ms, (merged.get(ms) ?? [0, 0, 0]).map((c, i) => c + counts[i]));
    expect(recorded.traffic).toEqual([...merged].sort((a, b) => a[0] - b[0]).map(([ms, counts]) => [ms, ...counts]));

    const window = await t.lab.invoke('runs.messages', { runId, fromMs: 0, toMs: recorded.untilMs, limit: 10_000 });
    expect(window).toHaveLength(m.sent + m.duplicated);
  });

  it('gives back the experiment text as it was written', async () => {
    const got = await t.lab.invoke('runs.get', { runId });
    expect(got.experimentText).toBe(ECHO);
    expect(got.run).toMatchObject({ id: runId, name: 'api-echo', status: 'completed', checks: { failed: 0 } });
    expect(got.run.checks!.passed).toBeGreaterThanOrEqual(1);
    expect(got.summary?.runId).toBe(runId);
  });

  it('leaves no node process behind', () => {
    const db = new Database(t.dbPath, { readonly: true });
    const pids = db.prepare('SELECT pid FROM nodes WHERE run_id = ?').pluck().all(runId) as number[];
    db.close();
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
  });
});

describe('acting on a run through the Lab', () => {
  it('checks live faults against the run’s experiment, and stops a run as interrupted', async () => {
    const text = ECHO.replace('duration: 2s', 'duration: 20s').replace('api-echo', 'api-stop');
    const { runId } = await t.lab.invoke('run.start', { text });
    await until(() => statuses.find((s) => s.runId === runId && s.status === 'running'));

    const problems = async (fault: Record<string, unknown>) => {
      try {
        await t.lab.call('run.fault', { runId, fault });
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).payload.kind).toBe('input');
        return (error as ApiError).payload.problems;
      }
      throw new Error(`fault ${JSON.stringify(fault)} was accepted`);
    };
    expect(await problems({ kill: 'n9' })).toEqual([{ path: 'fault.kill', message: 'unknown node "n9" (nodes are n1..n3)' }]);
    expect(await problems({ partition: 'halves' })).toEqual([{ path: 'fault.partition', message: expect.stringMatching(/^expected a list of groups like \[\[n1\], \[n2, n3\]\] or one of one, majority/) }]);
    expect(await problems({})).toEqual([{ path: 'fault', message: expect.stringMatching(/^expected exactly one action/) }]);
    expect(await problems({ at: '1s', kill: 'n1' })).toEqual([{ path: 'fault.at', message: expect.stringMatching(/^expected no "at"/) }]);

    // Patterns, cuts, link changes and heal go through; the leader target is recorded as skipped when there is none.
    for (const fault of [{ partition: 'majority' }, { heal: true }, { cut: { from: 'n1', to: 'n2' } }, { 'change-link': { from: 'n1', loss: 0.5 } }, { pause: 'n3' }, { resume: 'n3' }, { kill: 'leader' }]) {
      expect(await t.lab.call('run.fault', { runId, fault })).toBeNull();
    }
    await until(() => data.find((d) => d.runId === runId && d.blocked.some(([a, b]) => a === 'n1' && b === 'n2')));

    const stoppedAt = Date.now();
    expect(await t.lab.invoke('run.stop', { runId })).toBeNull();
    const final = await finalStatus(runId);
    expect(final.status).toBe('interrupted');
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    const recorded = await t.lab.invoke('runs.data', { runId });
    expect(recorded.faults.map((f) => [f[1], f[3]])).toEqual([
      ['partition-pattern', 'live'],
      ['heal', 'live'],
      ['cut', 'live'],
      ['change-link', 'live'],
      ['pause', 'live'],
      ['resume', 'live'],
      ['kill', 'live'],
    ]);
    expect(recorded.faults[6][2]).toEqual({ nodes: [], skipped: ['leader'], why: 'no leader known yet' });
    expect(await t.lab.invoke('runs.list', null)).toContainEqual(expect.objectContaining({ id: runId, status: 'interrupted' }));
  }, 30_000);
});

describe('nodes that join and leave through the Lab', () => {
  it('starts a node into a live run and retires another, checking each against the membership now', async () => {
    const text = 'name: api-membership\nseed: 3\nduration: 20s\nnodes: { count: 3, program: ping, params: { interval: 50 }, leaveDrain: 200ms }\n';
    const { runId } = await t.lab.invoke('run.start', { text });
    await until(() => statuses.find((s) => s.runId === runId && s.status === 'running'));
    const problems = async (fault: Record<string, unknown>) => {
      try {
        await t.lab.call('run.fault', { runId, fault });
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        return (error as ApiError).payload.problems;
      }
      throw new Error(`fault ${JSON.stringify(fault)} was accepted`);
    };

    expect(await t.lab.call('run.fault', { runId, fault: { join: 'n4' } })).toBeNull();
    expect(await problems({ join: 'n4' })).toEqual([{ path: 'fault.join', message: 'n4 is already a member now' }]);
    expect(await problems({ join: 'node4' })).toEqual([{ path: 'fault.join', message: 'expected a new node id like "n5", got "node4"' }]);
    // Up, n4 pings the members it was started with.
    await until(() => data.find((d) => d.runId === runId && d.nodes.n4 === 'up' && d.messages.some((m) => m[1] === 'n4' && m[3] === 'ping')));
    expect(await t.lab.call('run.fault', { runId, fault: { leave: 'n4' } })).toBeNull();
    expect(await problems({ leave: 'n4' })).toEqual([{ path: 'fault.leave', message: 'n4 is not a member now (members: n1, n2, n3)' }]);
    expect(await problems({ join: 'n4' })).toEqual([{ path: 'fault.join', message: 'n4 was a member and left; a joining node needs a new id, like "n5"' }]);
    await until(() => data.find((d) => d.runId === runId && d.events.some((e) => e[1] === 'n4' && e[2] === 'node-left')));

    await t.lab.invoke('run.stop', { runId });
    await finalStatus(runId);
    const recorded = await t.lab.invoke('runs.data', { runId });
    expect(recorded.faults.map((f) => [f[1], f[2], f[3]])).toEqual([
      ['join', { node: 'n4', members: ['n1', 'n2', 'n3', 'n4'] }, 'live'],
      ['leave', { node: 'n4', members: ['n1', 'n2', 'n3'] }, 'live'],
    ]);
    expect(recorded.events.filter((e) => e[2] === 'node-joined' || e[2] === 'node-left').map((e) => [e[1], e[2]])).toEqual([['n4', 'node-joined'], ['n4', 'node-left']]);
    expect(recorded.nodes).toEqual({ n1: 'exited', n2: 'exited', n3: 'exited', n4: 'exited' });
    // The joined node's pings are in the record, as are the membership messages from distlab.
    const messages = await t.lab.invoke('runs.messages', { runId, fromMs: 0, toMs: recorded.untilMs, limit: 10_000 });
    expect(messages.some((m) => m[1] === 'n4' && m[3] === 'ping' && m[6] === 'delivered')).toBe(true);
    expect(messages.filter((m) => m[1] === 'distlab' && m[3] === 'membership').length).toBeGreaterThanOrEqual(7);
  }, 30_000);

  it('tells why a program that does not take membership changes refused a join, and records the refusal', async () => {
    const { runId } = await t.lab.invoke('run.start', { text: ECHO.replace('duration: 2s', 'duration: 20s').replace('api-echo', 'api-refused') });
    await until(() => statuses.find((s) => s.runId === runId && s.status === 'running'));
    const reason = 'program "echo" does not take membership changes (it does not declare membership: true)';
    await expect(t.lab.call('run.fault', { runId, fault: { join: 'n4' } })).rejects.toMatchObject({ payload: { kind: 'input', problems: [{ path: 'fault.join', message: reason }] } });
    await t.lab.invoke('run.stop', { runId });
    await finalStatus(runId);
    const recorded = await t.lab.invoke('runs.data', { runId });
    expect(recorded.faults.map((f) => [f[1], f[2]])).toEqual([['join', { node: 'n4', refused: reason }]]);
    expect(recorded.events.filter((e) => e[2] === 'membership-refused').map((e) => [e[1], e[3]])).toEqual([['n4', { action: 'join', node: 'n4', reason }]]);
    expect(Object.keys(recorded.nodes)).toEqual(['n1', 'n2', 'n3']);
  }, 30_000);
});

describe('a run that cannot bring its nodes up', () => {
  it('still gets a run id, reports why as notices, and ends failed with the problems in its summary', async () => {
    const text = 'name: api-missing\nduration: 2s\nnodes: { count: 2, command: [/nonexistent/distlab-node] }\n';
    const { runId } = await t.lab.invoke('run.start', { text });
    const final = await finalStatus(runId);
    expect(final.status).toBe('failed');
    expect(final.summary!.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^n1: could not be started: executable not found: \/nonexistent\/distlab-node/)]));
    const notices = statuses.filter((s) => s.runId === runId && s.notice).map((s) => s.notice);
    expect(notices).toEqual(expect.arrayContaining([expect.stringMatching(/^n2 could not be started: executable not found/), 'no node came up, so the run could not go on']));
    expect(await t.lab.invoke('run.active', null)).not.toContain(runId);
    expect((await t.lab.invoke('runs.get', { runId })).run.status).toBe('failed');
  });
});
