// The experiments store: the YAML document as the source of truth for the form and the
// YAML pane, validation on every change, running, saving in localStorage, the draft.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Preset, Problem } from '../../core/api/contract.js';
import { ApiCallError } from '../../renderer/src/transport/api-error.js';
import { useTransportForTests } from '../../renderer/src/transport/index.js';
import { useExperimentsStore, VALIDATE_DELAY_MS } from '../../renderer/src/stores/experiments.js';
import { useRunsStore } from '../../renderer/src/stores/runs.js';
import { useUiStore } from '../../renderer/src/stores/ui.js';
import { FakeLab, installStorage, settle, type MemoryStorage } from './fake-lab.js';

const PRESET: Preset = {
  id: 'raft.yaml',
  name: 'raft-leader-faults',
  description: 'Raft with its leader killed.',
  text: `# Raft with its leader killed.
name: raft-leader-faults
seed: 17
duration: 22s
nodes:
  count: 5
  program: raft   # the log and a kv store
switch: { port: 0 }
faults:
  - { at: 5s, kill: leader }
workload: { kind: kv, rate: 40, clients: 4 }
`,
};

let lab: FakeLab;
let storage: MemoryStorage;
let problemsFor: (text: string) => Problem[];

beforeEach(() => {
  vi.useFakeTimers();
  storage = installStorage();
  lab = new FakeLab();
  problemsFor = () => [];
  lab
    .handle('experiment.validate', ({ text }) => {
      const problems = problemsFor(text);
      return problems.length ? { ok: false, problems } : { ok: true, name: 'x', nodes: ['n1'], clients: [] };
    })
    .handle('runs.list', () => [])
    .handle('run.active', () => []);
  useTransportForTests(lab);
  setActivePinia(createPinia());
});
afterEach(() => {
  vi.useRealTimers();
});

/** Lets the debounced validation run and its answer arrive. */
async function validated(): Promise<void> {
  await vi.advanceTimersByTimeAsync(VALIDATE_DELAY_MS + 10);
  await settle();
}

describe('editing', () => {
  it('opens a preset as a copy, reads it into the form value and validates it at once', async () => {
    const store = useExperimentsStore();
    await store.openPreset(PRESET);
    expect(store.origin).toEqual({ kind: 'preset', presetId: 'raft.yaml', name: 'raft-leader-faults' });
    expect(store.value).toMatchObject({ name: 'raft-leader-faults', nodes: { count: 5, program: 'raft' } });
    expect(store.nodeIds).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    await settle();
    expect(lab.callsOf('experiment.validate')).toEqual([{ text: PRESET.text }]);
    expect(store.valid).toBe(true);
    expect(store.dirty).toBe(false);
  });

  it('rewrites only what the form changes: comments and fields the form does not know survive', async () => {
    const store = useExperimentsStore();
    await store.openPreset(PRESET);
    store.set(['nodes', 'count'], 7);
    store.change((ops) => ops.append(['faults'], { at: '9s', restart: 'n2' }));
    store.set(['network', 'latency'], { distribution: 'normal', mean: '5ms', jitter: '1ms' });
    expect(store.text).toContain('# Raft with its leader killed.');
    expect(store.text).toContain('# the log and a kv store');
    expect(store.text).toContain('switch: { port: 0 }');
    expect(store.text).toContain('count: 7');
    expect(store.text).toContain('- { at: 9s, restart: n2 }');
    expect(store.value).toMatchObject({ switch: { port: 0 }, network: { latency: { mean: '5ms' } } });
    expect(store.dirty).toBe(true);
    // And back: the YAML pane's edit shows in the form.
    store.setText(store.text.replace('count: 7', 'count: 2'));
    expect(store.nodeIds).toEqual(['n1', 'n2']);
  });

  it('keeps the last good form while the YAML does not parse, and refuses form edits meanwhile', async () => {
    const store = useExperimentsStore();
    await store.openPreset(PRESET);
    const broken = `${PRESET.text}workload: { kind: kv\n`;
    store.setText(broken);
    expect(store.syntaxError).toMatch(/^invalid YAML at line \d+, column \d+/);
    expect(store.value).toMatchObject({ nodes: { count: 5 } });
    store.set(['nodes', 'count'], 9);
    expect(store.text).toBe(broken);
    expect(store.valid).toBe(false);
  });

  it('validates after a pause in typing, shows the problems, and ignores answers for older text', async () => {
    const store = useExperimentsStore();
    await store.openPreset(PRESET);
    await settle();
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    lab.handle('experiment.validate', async ({ text }) => {
      if (text.includes('count: three')) {
        await slow;
        return { ok: false, problems: [{ path: 'nodes.count', message: 'expected an integer from 1 to 1000, got "three"' }] };
      }
      return { ok: true, name: 'x', nodes: [], clients: [] };
    });
    store.set(['nodes', 'count'], 'three');
    expect(store.pending).toBe(true);
    expect(store.valid).toBe(false);
    await vi.advanceTimersByTimeAsync(VALIDATE_DELAY_MS + 10);
    store.set(['nodes', 'count'], 4); // typed on before the answer came
    release();
    await validated();
    expect(store.problems).toEqual([]);
    expect(store.valid).toBe(true);

    lab.handle('experiment.validate', () => ({ ok: false, problems: [{ path: 'nodes.count', message: 'too many' }] }));
    store.set(['nodes', 'count'], 4000);
    await validated();
    expect(store.problems).toEqual([{ path: 'nodes.count', message: 'too many' }]);
    expect(store.valid).toBe(false);
  });
});

describe('running', () => {
  it('starts a run of the text being edited and opens its live view', async () => {
    let active: number[] = [];
    lab.handle('run.start', () => ((active = [12]), { runId: 12 })).handle('run.active', () => active);
    const store = useExperimentsStore();
    await store.openPreset(PRESET);
    await settle();
    await expect(store.runCurrent()).resolves.toBe(12);
    expect(lab.callsOf('run.start')).toEqual([{ text: PRESET.text }]);
    expect(useUiStore().view).toEqual({ kind: 'run', runId: 12, live: true });
    expect(useRunsStore().isActive(12)).toBe(true);
  });

  it('does not start an invalid experiment', async () => {
    problemsFor = () => [{ path: 'duration', message: 'missing' }];
    lab.handle('run.start', () => ({ runId: 1 }));
    const store = useExperimentsStore();
    await store.openPreset(PRESET);
    await settle();
    await expect(store.runCurrent()).resolves.toBeNull();
    expect(lab.callsOf('run.start')).toEqual([]);
    expect(useUiStore().view.kind).toBe('experiments');
  });

  it('checks pending text before running (Ctrl+Enter right after typing)', async () => {
    lab.handle('run.start', () => ({ runId: 2 }));
    const store = useExperimentsStore();
    await store.openPreset(PRESET);
    await settle();
    store.set(['seed'], 18);
    expect(store.pending).toBe(true);
    await expect(store.runCurrent()).resolves.toBe(2);
    expect(lab.callsOf('run.start')).toEqual([{ text: store.text }]);
  });

  it('shows the problems the lab found when it refuses to start', async () => {
    lab.handle('run.start', () => {
      throw new ApiCallError({ kind: 'input', message: 'bad', problems: [{ path: 'nodes.program', message: 'unknown program "raft"' }] });
    });
    const store = useExperimentsStore();
    await store.openPreset(PRESET);
    await settle();
    await expect(store.runCurrent()).resolves.toBeNull();
    expect(store.problems).toEqual([{ path: 'nodes.program', message: 'unknown program "raft"' }]);
    expect(store.valid).toBe(false);
    expect(useUiStore().toasts[0].text).toBe('The run did not start: bad');
    expect(useUiStore().connection).not.toBe('lost');
  });
});

describe('saving', () => {
  it('asks for a name for a preset, saves it under a versioned key with that name, then saves over it', async () => {
    const store = useExperimentsStore();
    await store.openPreset(PRESET);
    store.requestSave();
    expect(store.naming).toBe(true);
    expect(store.saveAs('raft-slow')).toBe('saved');
    expect(store.text).toContain('name: raft-slow');
    expect(store.origin.kind).toBe('saved');
    expect(store.dirty).toBe(false);
    const file = JSON.parse(storage.getItem('distlab.experiments.v1')!);
    expect(file.version).toBe(1);
    expect(file.experiments).toHaveLength(1);
    expect(file.experiments[0]).toMatchObject({ name: 'raft-slow', text: store.text });

    store.set(['seed'], 99);
    expect(store.dirty).toBe(true);
    expect(store.save()).toBe('saved');
    const again = JSON.parse(storage.getItem('distlab.experiments.v1')!);
    expect(again.experiments).toHaveLength(1);
    expect(again.experiments[0].text).toContain('seed: 99');

    // A new store (a new window) reads them back.
    setActivePinia(createPinia());
    expect(useExperimentsStore().saved.map((s) => s.name)).toEqual(['raft-slow']);
  });

  it('asks before discarding unsaved changes, and keeps them when told no', async () => {
    const store = useExperimentsStore();
    const ui = useUiStore();
    await store.openPreset(PRESET);
    store.set(['seed'], 5);
    const opening = store.createNew();
    expect(ui.question?.title).toBe('Discard changes?');
    ui.reply(false);
    await expect(opening).resolves.toBe(false);
    expect(store.text).toContain('seed: 5');
    const again = store.createNew();
    ui.reply(true);
    await expect(again).resolves.toBe(true);
    expect(store.origin.kind).toBe('new');
    expect(store.text).toContain('name: my-experiment');
  });

  it('deletes a saved experiment after confirming; the text stays in the editor, unsaved', async () => {
    const store = useExperimentsStore();
    await store.createNew();
    store.saveAs('mine');
    const id = (store.origin as { savedId: string }).savedId;
    const deleting = store.removeSaved(id);
    useUiStore().reply(true);
    await deleting;
    expect(store.saved).toEqual([]);
    expect(store.origin.kind).toBe('new');
    expect(store.dirty).toBe(true);
  });

  it('keeps the draft across reloads', async () => {
    const store = useExperimentsStore();
    await store.openPreset(PRESET);
    store.set(['seed'], 77);
    await vi.advanceTimersByTimeAsync(1000);
    setActivePinia(createPinia());
    const reloaded = useExperimentsStore();
    reloaded.restoreDraft();
    expect(reloaded.origin).toEqual({ kind: 'preset', presetId: 'raft.yaml', name: 'raft-leader-faults' });
    expect(reloaded.text).toContain('seed: 77');
    expect(reloaded.dirty).toBe(true);
  });

  it('ignores damaged storage instead of failing', () => {
    storage.setItem('distlab.experiments.v1', '{not json');
    storage.setItem('distlab.draft.v1', JSON.stringify({ origin: { kind: 'weird' }, text: 1 }));
    const store = useExperimentsStore();
    store.restoreDraft();
    expect(store.saved).toEqual([]);
    expect(store.isOpen).toBe(false);
  });
});
