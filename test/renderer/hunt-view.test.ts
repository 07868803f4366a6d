// The hunt view's logic: the store that starts a hunt and follows its 'hunt.progress'
// events (never going back to an older view, ignoring other hunts), the failing seed's
// experiment rewritten to run as real processes, and the addresses of the new views.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { HuntView } from '../../core/api/hunt-contract.js';
import { asRealRun } from '../../renderer/src/components/hunt/real-run.js';
import { replayAddress } from '../../renderer/src/components/hunt/hunt-actions.js';
import { notRecordedReason, shrinking } from '../../renderer/src/components/hunt/hunt-state.js';
import { useHuntStore } from '../../renderer/src/stores/hunt.js';
import { formatRoute, parseRoute } from '../../renderer/src/stores/route.js';
import { useTransportForTests } from '../../renderer/src/transport/index.js';
import { FakeLab, installStorage, settle } from './fake-lab.js';

const hunt = (huntId: number, done: number, extra: Partial<HuntView> = {}): HuntView => ({
  huntId,
  name: 'pb-async',
  seeds: { from: 1, to: 50 },
  total: 50,
  done,
  running: true,
  stoppedEarly: false,
  failures: [],
  groups: [],
  shrunk: null,
  errors: [],
  shortestSeed: null,
  ...extra,
});

let lab: FakeLab;
beforeEach(() => {
  installStorage();
  lab = new FakeLab();
  useTransportForTests(lab);
  setActivePinia(createPinia());
});
afterEach(() => vi.useRealTimers());

describe('hunt store', () => {
  it('starts a hunt with the range asked and follows its progress events, not another hunt’s', async () => {
    lab.handle('hunt.start', () => hunt(3, 0));
    const hunts = useHuntStore();
    expect(await hunts.start({ text: 'name: pb\nmode: simulate\n', from: 1, to: 50, parallel: 2, stopAtFirst: false })).toBe(3);
    expect(lab.callsOf('hunt.start')).toEqual([{ text: 'name: pb\nmode: simulate\n', from: 1, to: 50, parallel: 2, stopAtFirst: false }]);
    expect(lab.listenerCount('hunt.progress')).toBe(1);
    lab.emit('hunt.progress', hunt(3, 20, { failures: [{ seed: 4, checks: ['linearizable'], runId: 9, firstFailureMs: 1250, durationMs: 5000, experimentText: 'x' }], groups: [{ check: 'linearizable', seeds: [4] }] }));
    expect(hunts.view?.done).toBe(20);
    expect(hunts.view?.groups).toEqual([{ check: 'linearizable', seeds: [4] }]);
    lab.emit('hunt.progress', hunt(5, 40));
    expect(hunts.view?.huntId).toBe(3);
    // A late, older event does not take the view back.
    lab.emit('hunt.progress', hunt(3, 10));
    expect(hunts.view?.done).toBe(20);
    lab.emit('hunt.progress', hunt(3, 50, { running: false }));
    expect(hunts.view?.running).toBe(false);
    lab.emit('hunt.progress', hunt(3, 45));
    expect(hunts.view?.running).toBe(false);
    hunts.dispose();
    expect(lab.listenerCount('hunt.progress')).toBe(0);
  });

  it('keeps a progress event that came before the start answered', async () => {
    let answer: (v: HuntView) => void = () => undefined;
    lab.handle('hunt.start', () => new Promise<HuntView>((resolve) => (answer = resolve)));
    const hunts = useHuntStore();
    const started = hunts.start({ text: 't', from: 1, to: 50, parallel: 1, stopAtFirst: true });
    await settle();
    lab.emit('hunt.progress', hunt(4, 12));
    answer(hunt(4, 0));
    await started;
    expect(hunts.view?.done).toBe(12);
  });

  it('loads a hunt by id, polls it slowly while it runs, and stops it', async () => {
    vi.useFakeTimers();
    let done = 10;
    lab.handle('hunt.get', ({ huntId }) => hunt(huntId, done, { running: done < 50 })).handle('hunt.stop', () => null);
    const hunts = useHuntStore();
    await hunts.show(2);
    expect(hunts.view?.done).toBe(10);
    done = 50;
    await vi.advanceTimersByTimeAsync(3100);
    expect(hunts.view?.running).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(lab.callsOf('hunt.get')).toHaveLength(2);
    await hunts.stop();
    expect(lab.callsOf('hunt.stop')).toEqual([{ huntId: 2 }]);
  });

  it('says why a hunt could not be loaded', async () => {
    lab.handle('hunt.get', () => {
      throw new Error('no hunt 9');
    });
    const hunts = useHuntStore();
    await hunts.show(9);
    expect(hunts.error).toBe('no hunt 9');
    expect(hunts.view).toBeNull();
  });
});

describe('what a hunt is doing', () => {
  it('is shrinking once every seed is judged and one failed, until it stops running', () => {
    expect(shrinking(hunt(1, 30, { shortestSeed: 4 }))).toBe(false);
    expect(shrinking(hunt(1, 50, { shortestSeed: 4 }))).toBe(true);
    expect(shrinking(hunt(1, 12, { shortestSeed: 4, stoppedEarly: true }))).toBe(true);
    expect(shrinking(hunt(1, 50, { shortestSeed: null }))).toBe(false);
    expect(shrinking(hunt(1, 50, { shortestSeed: 4, running: false }))).toBe(false);
  });

  it('says why a failing seed has no run to replay', () => {
    expect(notRecordedReason(hunt(1, 10), 7)).toBeNull();
    expect(notRecordedReason(hunt(1, 10), null)).toBe('Being recorded…');
    expect(notRecordedReason(hunt(1, 50, { running: false }), null)).toMatch(/^Not recorded: a hunt records its first 50/);
  });
});

describe('a failing seed run as real processes', () => {
  it('turns mode: simulate into mode: real and keeps the rest, comments included', () => {
    const text = '# the unsafe lesson\nname: pb-async\nseed: 17\nmode: simulate\nfaults:\n  - { at: 2s, kill: n1 }\n';
    const real = asRealRun(text);
    expect(parse(real)).toEqual({ ...parse(text), mode: 'real' });
    expect(real).toMatch(/^# the unsafe lesson\n/);
  });

  it('refuses text that is not YAML', () => {
    expect(() => asRealRun('name: [unclosed')).toThrow(/not valid YAML/);
  });

  it('replays a seed at the moment its check first fails, or from the start', () => {
    expect(replayAddress(12, 4250)).toBe('#/runs/12?t=4.250s');
    expect(parseRoute(replayAddress(12, 4250))).toEqual({ kind: 'run', runId: 12, tMs: 4250 });
    expect(replayAddress(12, null)).toBe('#/runs/12');
  });
});

describe('addresses of the stepping and hunt views', () => {
  it('reads and writes #/step/N?at=K and #/hunts/N', () => {
    expect(parseRoute('#/step/4')).toEqual({ kind: 'step', sessionId: 4, at: null });
    expect(parseRoute('#/step/0?at=17')).toEqual({ kind: 'step', sessionId: 0, at: 17 });
    expect(formatRoute({ kind: 'step', sessionId: 4 })).toBe('#/step/4');
    expect(parseRoute('#/hunts/3')).toEqual({ kind: 'hunt', huntId: 3 });
    expect(formatRoute({ kind: 'hunt', huntId: 3 })).toBe('#/hunts/3');
    expect(parseRoute('#/step/x')).toBeNull();
    expect(parseRoute('#/hunts/')).toBeNull();
  });
});
