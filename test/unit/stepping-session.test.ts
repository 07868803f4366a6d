// Stepping on the state-machine level: real protocols in a real simulation, one choice at a
// time (deliver, drop, duplicate, fire, next), going back and branching, the state a step
// changed, and the run's checks stopping at the first step that breaks one.
import { afterEach, describe, it, expect } from 'vitest';
import { parseExperiment } from '../../core/experiment/load.js';
import type { Experiment } from '../../core/experiment/types.js';
import { programNames } from '../../core/programs/registry.js';
import { loadProgram } from '../../core/programs/loaders.js';
import type { Program } from '../../core/sdk/protocol.js';
import { event, setTimer } from '../../core/sdk/outputs.js';
import { StepSession, StepSessionError } from '../../core/simulation/stepping/step-session.js';
import type { StepView } from '../../core/api/stepping-contract.js';

const sessions: StepSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

function experiment(file: Record<string, unknown>, programs = programNames()): Experiment {
  return parseExperiment({ mode: 'simulate', seed: 1, duration: '5s', ...file }, { source: 'test', programs });
}

async function open(file: Record<string, unknown>, program?: Program): Promise<StepSession> {
  const exp = experiment(file, program ? [program.name] : programNames());
  const session = await StepSession.open(sessions.length + 1, exp, program ?? (await loadProgram(exp.nodes.program!)!));
  sessions.push(session);
  return session;
}

const RAFT = { name: 'raft-election', nodes: { count: 3, program: 'raft-election' }, network: { latency: '5ms' } };
const BULLY = { name: 'bully', nodes: { count: 3, program: 'bully' }, network: { latency: '5ms' } };

interface RaftElectionState {
  currentTerm: number;
  votedFor: string | null;
}

const stateOf = (view: StepView, node: string) => view.nodes.find((n) => n.id === node)!.protocolState as RaftElectionState;
/** What a view shows of the simulation itself, without the tree (which grows as branches are added). */
const worldOf = ({ tree: _tree, ...view }: StepView) => view;

describe('stepping a simulation', () => {
  it('fires a chosen timer and delivers a chosen message: the receiver votes, and the view names what changed', async () => {
    const session = await open(RAFT);
    const root = session.view();
    expect(root.current).toBe(0);
    expect(root.tree).toEqual([{ id: 0, parent: null, depth: 0, choice: null, label: 'bring-up: 3 nodes up', violation: null, children: [] }]);
    expect(root.messages).toEqual([]);
    expect(root.timers.map((t) => `${t.node} ${t.name}`).sort()).toEqual(['n1 election', 'n2 election', 'n3 election']);

    // The latest election timer, out of order: time moves on to its due time.
    const latest = root.timers.reduce((a, b) => (b.dueMs > a.dueMs ? b : a));
    const fired = await session.choose({ kind: 'fire', node: latest.node, timer: 'election' });
    expect(fired.nowMs).toBe(latest.dueMs);
    expect(fired.lastStep).toMatchObject({ description: `fire ${latest.node} election`, nodes: [latest.node] });
    expect(stateOf(fired, latest.node).currentTerm).toBe(1);
    expect(fired.nodes.find((n) => n.id === latest.node)!.changedPaths).toEqual(expect.arrayContaining(['currentTerm', 'votedFor']));
    const requests = fired.messages.filter((m) => m.type === 'request_vote');
    expect(requests.map((m) => m.from)).toEqual([latest.node, latest.node]);
    expect(requests[0]).toMatchObject({ sentMs: latest.dueMs, dueMs: latest.dueMs + 5, copyOf: null, body: { type: 'request_vote', term: 1 } });

    // Deliver the second request first.
    const request = requests[1];
    const delivered = await session.choose({ kind: 'deliver', messageId: request.id });
    expect(delivered.lastStep!.description).toBe(`deliver #${request.id} request_vote ${request.from}→${request.to}`);
    expect(stateOf(delivered, request.to)).toMatchObject({ currentTerm: 1, votedFor: request.from });
    expect(delivered.nodes.find((n) => n.id === request.to)!.changedPaths).toEqual(expect.arrayContaining(['currentTerm', 'votedFor']));
    expect(delivered.nodes.find((n) => n.id === request.from)!.changedPaths).toEqual([]);
    expect(delivered.messages.map((m) => m.id)).not.toContain(request.id);
    expect(delivered.messages.find((m) => m.type === 'request_vote_res')).toMatchObject({ from: request.to, to: request.from, body: { term: 1, vote_granted: true } });
    expect(delivered.tree.map((n) => n.depth)).toEqual([0, 1, 2]);
  });

  it('drops a message: it is gone and its receiver never sees it; duplicates one: a copy joins it, and both arrive', async () => {
    const session = await open(RAFT);
    const timer = session.view().timers[0];
    const fired = await session.choose({ kind: 'fire', node: timer.node, timer: timer.name });
    const [first, second] = fired.messages;

    const dropped = await session.choose({ kind: 'drop', messageId: first.id });
    expect(dropped.lastStep!.description).toBe(`drop #${first.id} request_vote ${first.from}→${first.to}`);
    expect(dropped.messages.map((m) => m.id)).toEqual([second.id]);
    expect(dropped.nowMs).toBe(fired.nowMs);
    expect(stateOf(dropped, first.to).votedFor).toBeNull();

    const duplicated = await session.choose({ kind: 'duplicate', messageId: second.id });
    const copy = duplicated.messages.find((m) => m.copyOf === second.id)!;
    expect(copy).toMatchObject({ from: second.from, to: second.to, type: 'request_vote', dueMs: second.dueMs, sentMs: second.sentMs, body: second.body });
    expect(copy.id).toBeGreaterThan(second.id);
    await session.choose({ kind: 'deliver', messageId: second.id });
    const both = await session.choose({ kind: 'deliver', messageId: copy.id });
    // Raft answers a repeated vote request of the same term again, granting it to the same candidate.
    expect(both.messages.filter((m) => m.type === 'request_vote_res' && m.to === second.from)).toHaveLength(2);
    expect(stateOf(both, second.to)).toMatchObject({ currentTerm: 1, votedFor: second.from });
    // A dropped or delivered message cannot be chosen again.
    await expect(session.choose({ kind: 'deliver', messageId: first.id })).rejects.toThrow(new StepSessionError('choice.messageId', `message #${first.id} is not in flight: it was delivered or dropped already, or never sent`));
    await expect(session.choose({ kind: 'fire', node: 'n9', timer: 'election' })).rejects.toMatchObject({ field: 'choice.node' });
    await expect(session.choose({ kind: 'fire', node: timer.node, timer: 'nope' })).rejects.toMatchObject({ field: 'choice.timer', message: expect.stringMatching(/has no timer "nope" pending \(it has /) });
  });

  it('lists scheduled faults among the other events; a message caught by a partition that started on its way is dropped on arrival', async () => {
    const session = await open({ ...RAFT, faults: [{ at: '1ms', partition: [['n1'], ['n2', 'n3']] }] });
    const root = session.view();
    expect(root.others).toEqual([{ label: 'fault: partition n1 | n2 n3', dueMs: 1 }]);
    const fired = await session.choose({ kind: 'fire', node: 'n1', timer: 'election' });
    const request = fired.messages.find((m) => m.from === 'n1')!;
    const cut = await session.choose({ kind: 'next' });
    expect(cut.lastStep!.description).toBe('next: fault: partition n1 | n2 n3');
    expect(cut.others).toEqual([]);
    expect(cut.blocked).toEqual(expect.arrayContaining([['n1', 'n2'], ['n2', 'n1']]));
    const lost = await session.choose({ kind: 'deliver', messageId: request.id });
    expect(lost.lastStep!.description).toBe(`deliver #${request.id} request_vote n1→${request.to} (partitioned)`);
    expect(stateOf(lost, request.to).votedFor).toBeNull();
  });

  it('runs an event due earlier than now at now: time never goes backwards', async () => {
    const session = await open(RAFT);
    const timers = session.view().timers.sort((a, b) => a.dueMs - b.dueMs);
    const late = timers[timers.length - 1];
    await session.choose({ kind: 'fire', node: late.node, timer: late.name });
    const early = await session.choose({ kind: 'fire', node: timers[0].node, timer: timers[0].name });
    expect(early.nowMs).toBe(late.dueMs);
    const next = await session.choose({ kind: 'next' });
    expect(next.nowMs).toBeGreaterThanOrEqual(late.dueMs);
    expect(next.lastStep!.description).toMatch(/^next: /);
  });

  it('goes back and branches: both branches are kept, and going to either re-executes it exactly', async () => {
    const session = await open(RAFT);
    const a1 = await session.run(12);
    expect(a1.depth).toBe(12);
    expect(a1.tree.every((n) => n.children.length <= 1)).toBe(true);
    const leafA = a1.current;

    const back = await session.goto(3);
    expect(back.current).toBe(3);
    expect(back.depth).toBe(3);
    expect(worldOf(back)).toEqual(worldOf(await session.goto(3)));
    // Another choice at node 3: the first pending message dropped instead of the natural next event.
    const victim = back.messages[0] ?? null;
    const branch = victim ? await session.choose({ kind: 'drop', messageId: victim.id }) : await session.choose({ kind: 'fire', node: back.timers[0].node, timer: back.timers[0].name });
    expect(branch.tree[3].children).toHaveLength(2);
    expect(branch.tree.find((n) => n.id === branch.current)!.parent).toBe(3);
    const leafB = (await session.run(5)).current;

    const againA = await session.goto(leafA);
    expect(worldOf(againA)).toEqual({ ...worldOf(a1) });
    const againB = await session.goto(leafB);
    expect(againB.current).toBe(leafB);
    expect(againB.tree).toHaveLength(a1.tree.length + 6);
    // Taking a choice already taken follows its branch rather than adding a twin.
    await session.goto(3);
    const same = await session.choose({ kind: 'next' });
    expect(same.current).toBe(4);
    expect(same.tree).toHaveLength(againB.tree.length);
    await expect(session.goto(999)).rejects.toMatchObject({ field: 'treeNode' });
  });

  it('marks the first step that breaks a check, and step.run stops there: two bully leaders in one term', async () => {
    const session = await open(BULLY);
    const root = session.view();
    expect(root.timers.map((t) => `${t.node} ${t.name}`)).toEqual(['n1 bully.answer', 'n2 bully.answer', 'n3 bully.answer']);
    // n2's answer timer fired early: it heard no ok yet, so it announces itself leader of term 1.
    const n2leads = await session.choose({ kind: 'fire', node: 'n2', timer: 'bully.answer' });
    expect(n2leads.nowMs).toBe(100);
    expect(n2leads.nodes.find((n) => n.id === 'n2')!.protocolState).toMatchObject({ role: 'leader', term: 1 });
    expect(n2leads.nodes.find((n) => n.id === 'n2')!.changedPaths).toEqual(expect.arrayContaining(['term', 'role', 'leader']));
    expect(n2leads.violation).toBeNull();
    // From there the natural order: the messages due before now arrive late, and n1's answer
    // timer fires before n2's announcement reaches it, so n1 announces term 1 as well.
    const stopped = await session.run(500);
    expect(stopped.depth).toBe(8);
    const breaking = stopped.tree.find((n) => n.id === stopped.current)!;
    expect(breaking.violation).toBe('leader-per-term');
    expect(breaking.label).toBe('next: fire n1 bully.answer');
    expect(stopped.tree.filter((n) => n.violation !== null)).toHaveLength(1);
    expect(stopped.violation).toEqual({ check: 'leader-per-term', treeNode: stopped.current, detail: 'term 1: n1 and n2 both leaders' });
    expect(stopped.checks['leader-per-term']).toEqual({ valid: false, detail: 'term 1: n1 and n2 both leaders' });
    expect(stopped.done).toBe(false);
    // Going back before the step clears the path's violation; coming back finds it again.
    const before = await session.goto(breaking.parent!);
    expect(before.violation).toBeNull();
    expect(before.checks['leader-per-term'].valid).toBe(true);
    expect((await session.goto(breaking.id)).violation).toMatchObject({ check: 'leader-per-term', treeNode: breaking.id });
  });

  it('finds the exact step that breaks a check when it lies batches deep into step.run', async () => {
    // Broken on purpose: every node claims term 1 on its 20th tick.
    const usurper: Program = {
      name: 'usurper',
      description: 'leads term 1 on its 20th tick, whoever leads it already',
      params: [],
      protocol: {
        init: () => [{ ticks: 0 }, [setTimer('tick', 100)]],
        step: (state: { ticks: number }) => {
          const ticks = state.ticks + 1;
          return [{ ticks }, [setTimer('tick', 100), ...(ticks === 20 ? [event('role', { role: 'leader', term: 1 })] : [])]];
        },
      },
    };
    const session = await open({ name: 'usurpers', nodes: { count: 2, program: 'usurper' } }, usurper);
    const stopped = await session.run(1000);
    // n1 and n2 tick in turn: n2's 20th tick is the 40th step.
    expect(stopped.depth).toBe(40);
    expect(stopped.lastStep!.description).toBe('next: fire n2 tick');
    expect(stopped.violation).toEqual({ check: 'leader-per-term', treeNode: stopped.current, detail: 'term 1: n1 and n2 both leaders' });
    expect(stopped.nodes.find((n) => n.id === 'n2')!.changedPaths).toEqual(['ticks']);
    expect(stopped.tree.filter((n) => n.violation !== null).map((n) => n.id)).toEqual([stopped.current]);
    // Running on from there stops at nothing more: the check stays broken, and no later step breaks it anew.
    const on = await session.run(10);
    expect(on.depth).toBe(50);
    expect(on.violation).toMatchObject({ treeNode: stopped.current });
    expect(on.nodes.find((n) => n.id === 'n2')!.changedPaths).toEqual(['ticks']);
  });

  it('stops at a protocol that throws: the step is kept with the exception, and nothing follows it until going back', async () => {
    const thrower: Program = {
      name: 'thrower',
      description: 'throws on its third tick',
      params: [],
      protocol: {
        init: () => [{ ticks: 0 }, [setTimer('tick', 100)]],
        step: (state: { ticks: number }, input) => {
          if (input.kind === 'timer' && state.ticks === 2) throw new Error('tick overflow');
          return [{ ticks: state.ticks + 1 }, [setTimer('tick', 100)]];
        },
      },
    };
    const session = await open({ name: 'throws', nodes: { count: 1, program: 'thrower' } }, thrower);
    const stopped = await session.run(10);
    expect(stopped.depth).toBe(3);
    expect(stopped.done).toBe(true);
    expect(stopped.violation).toMatchObject({ check: 'protocol-error', treeNode: 3 });
    expect(stopped.lastStep!.description).toBe('next: n1 threw on timer tick');
    expect(stopped.checks['protocol-error']).toMatchObject({ valid: false, detail: expect.stringMatching(/^n1 threw at 0\.300000 s of virtual time, on timer tick: tick overflow$/) });
    await expect(session.choose({ kind: 'next' })).rejects.toMatchObject({ field: 'choice', message: expect.stringMatching(/^the simulation stopped here: n1 threw at 0\.300000 s/) });
    const back = await session.goto(2);
    expect(back.violation).toBeNull();
    expect((await session.goto(3)).violation).toMatchObject({ check: 'protocol-error' });
  });

  it('opens a file with steps at the end of them, as the first branch of the tree', async () => {
    const exp = experiment({ ...BULLY, steps: [{ fire: 'n2', timer: 'bully.answer' }, { next: 3 }] });
    const session = await StepSession.open(99, exp, await loadProgram('bully')!);
    sessions.push(session);
    const view = session.view();
    expect(view.depth).toBe(4);
    expect(view.tree.map((n) => n.label)[1]).toBe('fire n2 bully.answer');
    expect(session.experimentAt(view.current).steps).toEqual([{ kind: 'fire', node: 'n2', timer: 'bully.answer' }, { kind: 'next' }, { kind: 'next' }, { kind: 'next' }]);
    const bad = experiment({ ...BULLY, steps: [{ deliver: 999 }] });
    await expect(StepSession.open(100, bad, await loadProgram('bully')!)).rejects.toMatchObject({ field: 'text', message: 'steps: step 1 cannot be taken: message #999 is not in flight: it was delivered or dropped already, or never sent' });
  });
});
