// The stepping view's logic: the store that sends the person's choices to the lab (one at a
// time, back = the parent, a branch saved once), the branch tree's layout (depth → x,
// branch → y) and the inspector's lines with what the last step changed.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StepChoice, StepTreeNode, StepView } from '../../core/api/stepping-contract.js';
import { layoutTree } from '../../renderer/src/components/stepping/tree-layout.js';
import { stateLines } from '../../renderer/src/components/stepping/state-lines.js';
import { runTime, virtualTime } from '../../renderer/src/components/stepping/step-text.js';
import { roleOf } from '../../renderer/src/components/stepping/node-summary.js';
import { allSimulated, runModes } from '../../renderer/src/components/compare/run-labels.js';
import { useSteppingStore } from '../../renderer/src/stores/stepping.js';
import { useUiStore } from '../../renderer/src/stores/ui.js';
import { useTransportForTests } from '../../renderer/src/transport/index.js';
import { ApiCallError } from '../../renderer/src/transport/api-error.js';
import { FakeLab, installStorage, settle } from './fake-lab.js';

const node = (id: number, parent: number | null, depth: number, children: number[] = [], violation: string | null = null): StepTreeNode => ({
  id,
  parent,
  depth,
  choice: parent === null ? null : { kind: 'next' },
  label: `step to ${id}`,
  violation,
  children,
});

/** A lab that keeps a branch tree as the real one does: a choice at a node with that child already taken goes there, else grows a branch. */
function steppingLab(lab: FakeLab, sessionId = 7): { tree: StepTreeNode[]; current: () => number } {
  const tree: StepTreeNode[] = [node(0, null, 0)];
  let current = 0;
  const viewOf = (): StepView => ({
    sessionId,
    name: 'ping-sim',
    seed: 3,
    current,
    depth: tree[current].depth,
    nowMs: tree[current].depth * 10,
    tree: tree.map((n) => ({ ...n, children: [...n.children] })),
    messages: [{ id: 1, from: 'n1', to: 'n2', type: 'ping', body: { type: 'ping' }, sentMs: 0, dueMs: 5, copyOf: null }],
    timers: [],
    others: [],
    nodes: [{ id: 'n1', state: 'up', protocolState: { seen: current }, changedPaths: current ? ['seen'] : [] }],
    lastStep: current ? { choice: tree[current].choice!, description: tree[current].label, nodes: ['n1'] } : null,
    checks: {},
    violation: null,
    blocked: [],
    done: false,
  });
  const step = (choice: StepChoice): StepView => {
    const here = tree[current];
    const same = here.children.map((c) => tree[c]).find((c) => JSON.stringify(c.choice) === JSON.stringify(choice));
    if (same) current = same.id;
    else {
      const id = tree.length;
      tree.push({ ...node(id, here.id, here.depth + 1), choice, label: JSON.stringify(choice) });
      here.children.push(id);
      current = id;
    }
    return viewOf();
  };
  let saved = 100;
  lab
    .handle('step.open', () => ((current = 0), viewOf()))
    .handle('step.choose', ({ choice }) => step(choice))
    .handle('step.run', ({ maxSteps }) => {
      for (let i = 0; i < Math.min(maxSteps, 3); i++) step({ kind: 'next' });
      return viewOf();
    })
    .handle('step.goto', ({ sessionId: asked, treeNode }) => {
      if (asked !== sessionId) throw new ApiCallError({ kind: 'input', message: `no stepping session ${asked}` });
      current = treeNode;
      return viewOf();
    })
    .handle('step.save', () => ({ runId: ++saved }))
    .handle('step.close', () => null);
  return { tree, current: () => current };
}

let lab: FakeLab;
beforeEach(() => {
  installStorage();
  lab = new FakeLab();
  useTransportForTests(lab);
  setActivePinia(createPinia());
});

describe('stepping store', () => {
  it('opens a session, delivers a chosen message, goes back to the parent and branches', async () => {
    const fake = steppingLab(lab);
    const stepping = useSteppingStore();
    expect(await stepping.open('name: ping-sim\nmode: simulate\n')).toBe(7);
    expect(stepping.view?.current).toBe(0);
    await stepping.choose({ kind: 'deliver', messageId: 1 });
    expect(lab.callsOf('step.choose')).toEqual([{ sessionId: 7, choice: { kind: 'deliver', messageId: 1 } }]);
    expect(stepping.view?.depth).toBe(1);
    expect(stepping.view?.nodes[0].changedPaths).toEqual(['seen']);
    await stepping.back();
    expect(lab.callsOf('step.goto')).toEqual([{ sessionId: 7, treeNode: 0 }]);
    expect(stepping.view?.current).toBe(0);
    // At the root there is nowhere back to go: no call.
    await stepping.back();
    expect(lab.callsOf('step.goto')).toHaveLength(1);
    await stepping.choose({ kind: 'drop', messageId: 1 });
    expect(fake.tree[0].children).toEqual([1, 2]);
    expect(layoutTree(stepping.view!.tree, stepping.view!.current).branches).toBe(2);
  });

  it('takes one call at a time: a second click while the lab works is not sent', async () => {
    steppingLab(lab);
    const stepping = useSteppingStore();
    await stepping.open('x');
    const first = stepping.choose({ kind: 'next' });
    expect(stepping.busy).toBe('Taking the next event…');
    await stepping.choose({ kind: 'deliver', messageId: 1 });
    await first;
    expect(lab.callsOf('step.choose')).toEqual([{ sessionId: 7, choice: { kind: 'next' } }]);
    expect(stepping.busy).toBeNull();
  });

  it('runs until a check breaks with a bound on the steps', async () => {
    steppingLab(lab);
    const stepping = useSteppingStore();
    await stepping.open('x');
    await stepping.runUntilBroken();
    expect(lab.callsOf('step.run')).toEqual([{ sessionId: 7, maxSteps: 2000 }]);
    expect(stepping.view?.depth).toBe(3);
  });

  it('saves a branch once, and both branches of a comparison', async () => {
    steppingLab(lab);
    const stepping = useSteppingStore();
    await stepping.open('x');
    expect(await stepping.save(0)).toBe(101);
    expect(await stepping.save(0)).toBe(101);
    expect(await stepping.saveBoth(0, 1)).toEqual([101, 102]);
    expect(lab.callsOf('step.save')).toEqual([
      { sessionId: 7, treeNode: 0 },
      { sessionId: 7, treeNode: 1 },
    ]);
  });

  it('closes the previous session when another opens, and on close', async () => {
    steppingLab(lab, 7);
    const stepping = useSteppingStore();
    await stepping.open('x');
    steppingLab(lab, 8);
    await stepping.open('y');
    await settle();
    expect(lab.callsOf('step.close')).toEqual([{ sessionId: 7 }]);
    await stepping.close();
    expect(lab.callsOf('step.close')).toEqual([{ sessionId: 7 }, { sessionId: 8 }]);
    expect(stepping.view).toBeNull();
  });

  it('restores a session from a link at its tree node, and says so when the lab no longer has it', async () => {
    steppingLab(lab, 7);
    const stepping = useSteppingStore();
    await stepping.restore(7, null);
    expect(stepping.view?.sessionId).toBe(7);
    await stepping.restore(9, 4);
    expect(stepping.error).toBe('No stepping session 9. Open a mode: simulate experiment and press Step to start one.');
  });

  it('reports a refused choice in a toast and keeps the view', async () => {
    steppingLab(lab);
    lab.handle('step.choose', () => {
      throw new ApiCallError({ kind: 'input', message: 'message #9 is not in flight' });
    });
    const stepping = useSteppingStore();
    await stepping.open('x');
    await stepping.choose({ kind: 'deliver', messageId: 9 });
    expect(stepping.view?.current).toBe(0);
    expect(useUiStore().toasts.map((t) => t.text)).toEqual(['Delivering #9 failed: message #9 is not in flight']);
  });
});

describe('branch tree layout', () => {
  it('puts depth to the right, continues a branch on its row and gives each later branch a new row below', () => {
    // 0 ─ 1 ─ 2 ─ 3          row 0
    //      └─ 4 ─ 5          row 1
    //           └─ 6         row 2
    // └─ 7                   row 3
    const tree = [node(0, null, 0, [1, 7]), node(1, 0, 1, [2, 4]), node(2, 1, 2, [3]), node(3, 2, 3), node(4, 1, 2, [5, 6]), node(5, 4, 3), node(6, 4, 3, [], 'leader-per-term'), node(7, 0, 1)];
    const layout = layoutTree(tree, 5);
    const at = Object.fromEntries(layout.placed.map((p) => [p.node.id, [p.depth, p.row]]));
    expect(at).toEqual({ 0: [0, 0], 1: [1, 0], 2: [2, 0], 3: [3, 0], 4: [2, 1], 5: [3, 1], 6: [3, 2], 7: [1, 3] });
    expect(layout.rows).toBe(4);
    expect(layout.maxDepth).toBe(3);
    expect(layout.branches).toBe(4);
    expect(layout.placed.filter((p) => p.onPath).map((p) => p.node.id)).toEqual([0, 1, 4, 5]);
    expect(layout.edges.map((e) => `${e.from.node.id}-${e.to.node.id}`).sort()).toEqual(['0-1', '0-7', '1-2', '1-4', '2-3', '4-5', '4-6']);
  });

  it('lays out a chain thousands of steps deep', () => {
    const tree = Array.from({ length: 5000 }, (_, i) => node(i, i ? i - 1 : null, i, i < 4999 ? [i + 1] : []));
    const layout = layoutTree(tree, 4999);
    expect(layout.rows).toBe(1);
    expect(layout.maxDepth).toBe(4999);
    expect(layout.branches).toBe(1);
  });
});

describe('inspector lines', () => {
  const raft = { role: 'follower', currentTerm: 2, votedFor: 'n1', log: [{ term: 1, command: { op: 'write', key: 'k', value: 1 } }, { term: 2, command: { op: 'write', key: 'k', value: 2 } }], commitIndex: 1, peers: { n1: { nextIndex: 3, matchIndex: 2 }, n2: { nextIndex: 1, matchIndex: 0 } } };

  it('marks the lines a changed path names, inside a one-line value, or under a replaced value', () => {
    const { lines, removed } = stateLines(raft, ['currentTerm', 'log.1.term', 'peers']);
    const changed = lines.filter((l) => l.changed).map((l) => l.path);
    // log.1 fits on one line, so the line holding log.1.term is marked; peers was replaced whole, so all its lines are.
    expect(changed).toEqual(['currentTerm', 'log.1', 'peers', 'peers.n1', 'peers.n2']);
    expect(lines.find((l) => l.path === 'log')).toMatchObject({ depth: 0, text: '[2 entries]', changed: false });
    expect(lines.find((l) => l.path === 'log.0')).toMatchObject({ depth: 1, key: '0', changed: false });
    expect(lines.find((l) => l.path === 'role')).toMatchObject({ text: '"follower"', changed: false });
    expect(removed).toEqual([]);
  });

  it('lists a changed path that no longer exists as removed', () => {
    expect(stateLines({ term: 3 }, ['votedFor', 'term']).removed).toEqual(['votedFor']);
  });

  it('keeps a long list short but shows every changed entry', () => {
    const log = Array.from({ length: 500 }, (_, i) => ({ term: 1, index: i, command: 'a fairly long command text to keep it off one line' }));
    const { lines } = stateLines({ log }, ['log.250.term']);
    const paths = lines.map((l) => l.path);
    expect(paths).toContain('log.250');
    expect(paths).toContain('log.0');
    expect(paths).toContain('log.499');
    expect(paths).not.toContain('log.100');
    expect(lines.filter((l) => l.skipped).map((l) => l.skipped)).toEqual([210, 209]);
    expect(lines.filter((l) => l.changed).map((l) => l.path)).toEqual(['log.250.term']);
  });

  it('reads role and term from the state, and writes virtual time exactly and run times to the ms', () => {
    expect(roleOf(raft)).toEqual({ role: 'follower', term: 2 });
    expect(roleOf({ seen: 1 })).toBeNull();
    expect(virtualTime(12.5)).toBe('12.5 ms');
    expect(virtualTime(1500.25)).toBe('1.50025 s');
    expect(runTime(386.667)).toBe('387 ms');
    expect(runTime(1386.667)).toBe('1.387 s');
  });
});

describe('comparing saved branches', () => {
  it('knows simulated runs, whose record the seed and steps fix, from real ones', () => {
    expect(allSimulated(['name: a\nmode: simulate\nsteps: [next]\n', 'name: a\nmode: simulate\n'])).toBe(true);
    expect(allSimulated(['name: a\nmode: simulate\n', 'name: a\n'])).toBe(false);
    expect(allSimulated(['name: [broken'])).toBe(false);
    expect(allSimulated([])).toBe(false);
    expect(runModes(['name: a\nmode: simulate\n', 'name: a\nmode: real\n', 'name: a\n', 'name: [broken'])).toEqual(['simulate', 'real', 'real', 'real']);
  });
});
