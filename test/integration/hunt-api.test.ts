// The lab's hunt API (hunt.start, hunt.get, hunt.stop, the hunt.progress event): the hunt
// runs on worker threads while the lab answers, its failing seeds open in the lab at the
// moment their check first fails, a stopped hunt ends early, and bad arguments are refused
// before anything is recorded.
import { describe, it, expect } from 'vitest';
import { errorOf, freshLabs } from '../fresh-labs.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Lab } from '../../core/api/lab.js';
import type { HuntView } from '../../core/api/contract.js';
import { EVENTS, METHODS } from '../../core/api/contract.js';
import { repoRoot } from './helpers.js';

const openLab = freshLabs();
const newLab = () => openLab().lab;
const CAUSAL = readFileSync(path.join(repoRoot, 'resources/hunts/causal-broadcast-on-arrival.yaml'), 'utf8');


async function ended(lab: Lab, huntId: number): Promise<HuntView> {
  for (;;) {
    const view = await lab.invoke('hunt.get', { huntId });
    if (!view.running) return view;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}


describe('the lab’s hunts', () => {
  it('are in the contract the transports allow', () => {
    expect(METHODS).toEqual(expect.arrayContaining(['hunt.start', 'hunt.get', 'hunt.stop']));
    expect(EVENTS).toContain('hunt.progress');
  });

  it('hunt on workers, report progress and the end, and open each failing seed at the moment its check first fails', async () => {
    const lab = newLab();
    const progress: HuntView[] = [];
    lab.on('hunt.progress', (view) => progress.push(view));
    const started = await lab.invoke('hunt.start', { text: CAUSAL, from: 1, to: 4, parallel: 2 });
    expect(started).toMatchObject({ huntId: 1, name: 'causal-broadcast-on-arrival', seeds: { from: 1, to: 4 }, total: 4, done: 0, running: true });
    // The lab answers while the hunt goes on.
    expect(await lab.invoke('programs.list', null)).not.toHaveLength(0);
    const view = await ended(lab, started.huntId);
    expect(view).toMatchObject({ done: 4, running: false, stoppedEarly: false, errors: [] });
    expect(view.groups.find((g) => g.check === 'causal-delivery')?.seeds.length).toBeGreaterThanOrEqual(2);
    expect(view.shrunk).toMatchObject({ check: 'causal-delivery', runId: expect.any(Number) });
    // At most a few progress events a second, and one at the end with the final view.
    expect(progress.at(-1)).toStrictEqual(view);
    expect(progress.length).toBeLessThan(10);

    const runs = await lab.invoke('runs.list', null);
    expect(runs).toHaveLength(view.failures.length + 1);
    for (const failure of view.failures) {
      const detail = await lab.invoke('runs.get', { runId: failure.runId! });
      expect(detail.run.seed).toBe(failure.seed);
      expect(detail.summary?.checks['causal-delivery']?.valid).toBe(false);
      // The replay at the moment the check first fails (the lab's hunt view links there): the delivery out of causal order has just happened.
      const state = await lab.invoke('runs.stateAt', { runId: failure.runId!, tMs: failure.firstFailureMs! });
      expect(state.t).toBe(failure.firstFailureMs);
      expect(state.lastEvents.filter((e) => e.tMs === failure.firstFailureMs).map((e) => e.kind)).toContain('deliver');
    }
  });

  it('stop when asked, keeping what they found', async () => {
    const lab = newLab();
    const { huntId } = await lab.invoke('hunt.start', { text: CAUSAL, from: 1, to: 10_000 });
    expect(await lab.invoke('hunt.stop', { huntId })).toBeNull();
    const view = await ended(lab, huntId);
    expect(view.stoppedEarly).toBe(true);
    expect(view.done).toBeLessThan(view.total);
    expect(view.shrunk).toBeNull();
  });

  it('refuse a reversed range, a bad rate and an unknown hunt, naming the field, and record nothing', async () => {
    const lab = newLab();
    expect(await errorOf(lab.invoke('hunt.start', { text: CAUSAL, from: 9, to: 3 }))).toMatchObject({ kind: 'input', problems: [{ path: 'to' }] });
    const rate = await errorOf(lab.invoke('hunt.start', { text: CAUSAL.replace('pause: 0.2', 'pause: 2'), from: 1, to: 3 }));
    expect(rate.problems).toStrictEqual([{ path: 'faults.random.pause', message: expect.stringContaining('expected a chance per second of virtual time from 0 to 1, got 2'), line: expect.any(Number) }]);
    expect(await errorOf(lab.invoke('hunt.get', { huntId: 7 }))).toMatchObject({ kind: 'input', problems: [{ path: 'huntId' }] });
    expect(await errorOf(lab.invoke('hunt.start', { text: CAUSAL, from: 1, to: 3, parallel: 9 }))).toMatchObject({ kind: 'input', problems: [{ path: 'parallel' }] });
    expect(await lab.invoke('runs.list', null)).toStrictEqual([]);
  });
});
