// The ui, lab and runs stores: theme, toasts, the connection, questions; the lab's
// programs and presets loaded once; the runs list following status events.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Preset, RunStatusEvent } from '../../core/api/contract.js';
import { ApiCallError } from '../../renderer/src/transport/api-error.js';
import { useTransportForTests } from '../../renderer/src/transport/index.js';
import { useLabStore } from '../../renderer/src/stores/lab.js';
import { useRunsStore, type RunRow } from '../../renderer/src/stores/runs.js';
import { useUiStore } from '../../renderer/src/stores/ui.js';
import { FakeLab, installStorage, settle, type MemoryStorage } from './fake-lab.js';

let lab: FakeLab;
let storage: MemoryStorage;

beforeEach(() => {
  storage = installStorage();
  lab = new FakeLab();
  useTransportForTests(lab);
  setActivePinia(createPinia());
});
afterEach(() => {
  vi.useRealTimers();
});

const row = (id: number, startedAtMs: number, extra: Partial<RunRow> = {}): RunRow => ({
  id,
  name: `run-${id}`,
  status: 'completed',
  startedAtMs,
  endedAtMs: startedAtMs + 1000,
  durationMs: 1000,
  seed: 1,
  checks: { total: 2, passed: 2, failed: 0 },
  messages: null,
  warnings: [],
  originRunId: null,
  label: null,
  note: null,
  differs: null,
  ...extra,
});

describe('ui store', () => {
  it('keeps the theme in localStorage under a versioned key and reads it back', () => {
    const ui = useUiStore();
    ui.setTheme('dark');
    expect(JSON.parse(storage.getItem('distlab.theme.v1')!)).toBe('dark');
    ui.toggleTheme();
    expect(ui.theme).toBe('light');
    storage.setItem('distlab.theme.v1', '"dark"');
    setActivePinia(createPinia());
    expect(useUiStore().theme).toBe('dark');
  });

  it('shows a toast once per text, keeps at most five, and dismisses them after a while', () => {
    vi.useFakeTimers();
    const ui = useUiStore();
    ui.toast('info', 'same');
    ui.toast('info', 'same');
    expect(ui.toasts).toHaveLength(1);
    for (let i = 0; i < 6; i++) ui.toast('error', `e${i}`);
    expect(ui.toasts.map((t) => t.text)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    vi.advanceTimersByTime(10_000);
    expect(ui.toasts).toEqual([]);
  });

  it('marks the connection lost only for transport failures, not for answers from the lab', () => {
    const ui = useUiStore();
    ui.connectionOk();
    ui.reportError('Could not start', new ApiCallError({ kind: 'input', message: 'nodes.count: bad' }));
    expect(ui.connection).toBe('ok');
    expect(ui.toasts[0].text).toBe('Could not start: nodes.count: bad');
    ui.reportError('Could not start', new Error('the connection to the Distlab server closed'));
    expect(ui.connection).toBe('lost');
    expect(ui.connectionProblem).toMatch(/closed/);
  });

  it('asks a question and resolves with the answer', async () => {
    const ui = useUiStore();
    const answer = ui.ask({ message: 'Delete it?', confirmLabel: 'Delete', danger: true });
    expect(ui.question).toMatchObject({ message: 'Delete it?', confirmLabel: 'Delete', danger: true });
    ui.reply(true);
    await expect(answer).resolves.toBe(true);
    expect(ui.question).toBeNull();
  });
});

describe('lab store', () => {
  const presets: Preset[] = [
    { id: 'b.yaml', name: 'b', description: '', text: 'name: b' },
    { id: 'a.yaml', name: 'a', description: '', text: 'name: a' },
  ];

  it('loads info, programs and presets once, presets sorted by name', async () => {
    lab
      .handle('lab.info', () => ({ version: '0.1.0', dbPath: '/home/u/.config/Distlab/distlab.db', shell: 'browser' }))
      .handle('programs.list', () => [{ name: 'echo', description: 'echo', params: [] }])
      .handle('presets.list', () => presets);
    const store = useLabStore();
    await Promise.all([store.load(), store.load()]);
    await store.load();
    expect(lab.callsOf('presets.list')).toHaveLength(1);
    expect(store.presets.map((p) => p.name)).toEqual(['a', 'b']);
    expect(store.programByName.get('echo')?.description).toBe('echo');
    expect(store.info?.dbPath).toContain('distlab.db');
  });

  it('keeps the error of a failed load and tries again on the next one', async () => {
    let fail = true;
    lab
      .handle('lab.info', () => {
        if (fail) throw new Error('cannot reach the Distlab server');
        return { version: '1', dbPath: '/db', shell: 'browser' };
      })
      .handle('programs.list', () => [])
      .handle('presets.list', () => []);
    const store = useLabStore();
    await expect(store.load()).rejects.toThrow(/cannot reach/);
    expect(store.error).toMatch(/cannot reach/);
    fail = false;
    await store.load();
    expect(store.loaded).toBe(true);
    expect(store.error).toBeNull();
  });
});

describe('runs store', () => {
  let rows: RunRow[];
  let active: number[];

  beforeEach(() => {
    rows = [row(1, 1000), row(3, 3000), row(2, 2000)];
    active = [];
    lab.handle('runs.list', () => rows).handle('run.active', () => active);
  });

  it('lists runs newest first with the active ones', async () => {
    active = [3];
    const runs = useRunsStore();
    await runs.refresh();
    expect(runs.list.map((r) => r.id)).toEqual([3, 2, 1]);
    expect(runs.isActive(3)).toBe(true);
    expect(runs.loaded).toBe(true);
    expect(useUiStore().connection).toBe('ok');
  });

  it('follows run.status: a new run becomes active and listed; an ended one refreshes the list and says how it went', async () => {
    const runs = useRunsStore();
    const stop = runs.start();
    await settle();
    expect(lab.listenerCount('run.status')).toBe(1);

    rows = [...rows, row(4, 4000, { status: 'running', endedAtMs: null, durationMs: null, checks: null })];
    active = [4];
    lab.emit('run.status', { runId: 4, status: 'running' });
    expect(runs.isActive(4)).toBe(true);
    await settle();
    expect(runs.list[0].id).toBe(4);

    rows = rows.map((r) => (r.id === 4 ? { ...r, status: 'completed', durationMs: 5000, checks: { total: 2, passed: 1, failed: 1 } } : r));
    active = [];
    const ended: RunStatusEvent = {
      runId: 4,
      status: 'completed',
      summary: { runId: 4, name: 'raft', checks: { 'leader-per-term': { valid: true }, 'logs-agree': { valid: false } } } as unknown as RunStatusEvent['summary'],
    };
    lab.emit('run.status', ended);
    expect(runs.isActive(4)).toBe(false);
    expect(runs.liveStatus[4]).toBe('completed');
    await settle();
    expect(runs.list[0].status).toBe('completed');
    expect(useUiStore().toasts.at(-1)?.text).toBe('Run #4 raft completed, 1 of 2 checks failed');
    stop();
    expect(lab.listenerCount('run.status')).toBe(0);
  });

  it('notices a lost connection when polling and reloads the list once it is back', async () => {
    const runs = useRunsStore();
    const ui = useUiStore();
    await runs.refresh();
    let down = true;
    lab.handle('run.active', () => {
      if (down) throw new Error('the connection to the Distlab server closed');
      return [];
    });
    await runs.poll();
    expect(ui.connection).toBe('lost');
    const listedBefore = lab.callsOf('runs.list').length;
    down = false;
    await runs.poll();
    expect(ui.connection).toBe('ok');
    expect(lab.callsOf('runs.list').length).toBe(listedBefore + 1);
  });

  it('says a run the person stopped here ended early, as news rather than an error', async () => {
    const runs = useRunsStore();
    const ui = useUiStore();
    runs.start();
    lab.handle('run.stop', () => null);
    await runs.stopRun(5);
    expect(lab.callsOf('run.stop')).toEqual([{ runId: 5 }]);
    const summary = { runId: 5, name: 'raft', checks: { 'logs-agree': { valid: true } } } as unknown as RunStatusEvent['summary'];
    lab.emit('run.status', { runId: 5, status: 'interrupted', summary });
    expect(ui.toasts.at(-1)).toMatchObject({ kind: 'info', text: 'Run #5 raft stopped before its planned end, its check passed' });
    // Interrupted without being stopped here (the engine died): an error.
    lab.emit('run.status', { runId: 6, status: 'interrupted', summary: { ...summary!, runId: 6 } });
    expect(ui.toasts.at(-1)).toMatchObject({ kind: 'error', text: 'Run #6 raft interrupted, its check passed' });
    runs.stop();
  });

  it('shows a run it started as active before any status event', async () => {
    const runs = useRunsStore();
    runs.track(9);
    expect(runs.isActive(9)).toBe(true);
    expect(runs.liveStatus[9]).toBe('starting');
  });
});
