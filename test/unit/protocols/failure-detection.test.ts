import { describe, it, expect } from 'vitest';
import type { Program } from '../../../core/sdk/index.js';
import { heartbeat } from '../../../core/protocols/failure-detection/fixed-timeout.js';
import { phiAccrual } from '../../../core/protocols/failure-detection/phi-accrual.js';
import { swim } from '../../../core/protocols/failure-detection/swim.js';
import { createSim, type Sim } from './sim.js';

// What all three detectors promise, checked the same way: detection bounds after a
// crash in a 5-node network, recovery after a pause, determinism, common telemetry.

const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];
const survivors = ['n1', 'n2', 'n3', 'n4'];
const detectors: Program[] = [heartbeat, phiAccrual, swim];
const delay = 1;

/** y with −log10 of the logistic tail equal to 8 (Akka's approximation). */
function yForPhi8(): number {
  let lo = 0;
  let hi = 20;
  for (let i = 0; i < 200; i++) {
    const y = (lo + hi) / 2;
    const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
    if (-Math.log10(e / (1 + e)) < 8) lo = y;
    else hi = y;
  }
  return hi;
}

/** Time each survivor first emitted `type` about n5. */
function firstAbout(sim: Sim, type: string, peer = 'n5'): Map<string, number> {
  const times = new Map<string, number>();
  for (const e of sim.events(type)) if (e.data.peer === peer && !times.has(e.node)) times.set(e.node, e.time);
  return times;
}

function crashRun(program: Program, crashAt: number, seed: number): Sim {
  const sim = createSim(program, ids, {}, { seed, delay });
  sim.at(crashAt, () => sim.crash('n5'));
  sim.runUntil(crashAt + 4000);
  // No false suspicion of anyone else, and n5 suspected before it is declared dead.
  expect(sim.events('suspect').filter((e) => e.data.peer !== 'n5')).toEqual([]);
  return sim;
}

function expectEverySurvivorWithin(times: Map<string, number>, from: number, to: number): void {
  expect([...times.keys()].sort()).toEqual(survivors);
  for (const t of times.values()) {
    expect(t).toBeGreaterThanOrEqual(from);
    expect(t).toBeLessThanOrEqual(to);
  }
}

describe('detection after a crash, 5 nodes', () => {
  it('heartbeat: suspect within timeout + interval + delay, dead within deadTimeout + interval + delay', () => {
    const [interval, timeout, deadTimeout] = [100, 300, 1000];
    for (const crashAt of [2000, 2037, 2091]) {
      const sim = crashRun(heartbeat, crashAt, 1);
      // The last heartbeat left at most one interval before the crash.
      expectEverySurvivorWithin(firstAbout(sim, 'suspect'), crashAt - interval + delay + timeout, crashAt + timeout + interval + delay);
      expectEverySurvivorWithin(firstAbout(sim, 'dead'), crashAt - interval + delay + deadTimeout, crashAt + deadTimeout + interval + delay);
    }
  });

  it('phi-accrual: suspect within delay + (mean + y₈·minStdDev) + checkInterval, dead deadTimeout later', () => {
    // Regular 100 ms heartbeats: mean 100, fitted sd < 20 so minStdDev rules;
    // φ reaches 8 at 100 + 20·y₈ ≈ 204.5 ms after the last arrival, seen at the next check.
    const [interval, checkInterval, deadTimeout] = [100, 20, 1000];
    const untilPhi8 = interval + 20 * yForPhi8();
    for (const crashAt of [2000, 2037, 2091]) {
      const sim = crashRun(phiAccrual, crashAt, 1);
      const suspects = firstAbout(sim, 'suspect');
      expectEverySurvivorWithin(suspects, crashAt - interval + delay + untilPhi8, crashAt + delay + untilPhi8 + checkInterval);
      const deads = firstAbout(sim, 'dead');
      for (const id of survivors) expect(deads.get(id)).toBe(suspects.get(id)! + deadTimeout);
    }
  });

  it('swim: every member suspects within 2(n−1) periods and confirms dead within that + suspicionTimeout', () => {
    const [period, suspicionTimeout] = [200, 1000];
    const firstDetections: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const crashAt = 2000 + seed * 13;
      const sim = crashRun(swim, crashAt, seed);
      // Shuffled round-robin: any member probes n5 within 2(n−1) − 1 periods of the crash.
      const suspects = firstAbout(sim, 'suspect');
      expectEverySurvivorWithin(suspects, crashAt, crashAt + 2 * (ids.length - 1) * period);
      expectEverySurvivorWithin(firstAbout(sim, 'dead'), crashAt + suspicionTimeout, crashAt + 2 * (ids.length - 1) * period + suspicionTimeout);
      firstDetections.push(Math.min(...suspects.values()) - crashAt);
    }
    // The paper's expected first detection is e/(e−1)·T′ ≈ 1.6 periods, plus up to a period of phase.
    const mean = firstDetections.reduce((a, b) => a + b, 0) / firstDetections.length;
    expect(mean).toBeLessThan(2.6 * period);
  });
});

describe.each(detectors.map((p) => [p.name, p] as const))('%s', (_name, program) => {
  it('after a pause, suspects and declares dead, then alive again on resume', () => {
    const sim = createSim(program, ids, {}, { seed: 3 });
    sim.at(2000, () => sim.pause('n5'));
    sim.at(4000, () => sim.resume('n5'));
    sim.runUntil(6000);
    const suspects = firstAbout(sim, 'suspect');
    const deads = firstAbout(sim, 'dead');
    const alives = firstAbout(sim, 'alive');
    expect([...deads.keys()].sort()).toEqual(survivors);
    for (const id of survivors) {
      expect(suspects.get(id)!).toBeLessThan(deads.get(id)!);
      expect(deads.get(id)!).toBeLessThan(4000);
      expect(alives.get(id)!).toBeGreaterThanOrEqual(4000);
      expect(alives.get(id)!).toBeLessThan(4000 + 600);
    }
    // The paused node itself got its peers' messages before its overdue timers: no mistakes.
    expect(sim.events('suspect').filter((e) => e.node === 'n5')).toEqual([]);
    for (const id of ids) expect(sim.states('suspected').filter((s) => s.node === id).at(-1)!.value).toEqual([]);
  });

  it('repeats exactly with the same seed', () => {
    const run = (seed: number) => {
      const sim = createSim(program, ids, {}, { seed, delay: (_l, rng) => 1 + rng.int(30) });
      sim.at(1500, () => sim.crash('n4'));
      sim.runUntil(4000);
      return JSON.stringify(sim.records);
    };
    expect(run(8)).toEqual(run(8));
    expect(run(8)).not.toEqual(run(9));
  });

  it('publishes an empty suspected set at start and no transition while all is well', () => {
    const sim = createSim(program, ids, {}, { seed: 1 });
    sim.inject('n1', 'c1', { type: 'write', msg_id: 1, key: 'a', value: 1 });
    sim.runUntil(5000);
    expect(sim.states('suspected').map((s) => [s.time, s.node, s.value])).toEqual(ids.map((id) => [0, id, []]));
    expect(sim.events().filter((e) => e.type !== 'heartbeat')).toEqual([]);
    expect(sim.sends('error')).toEqual([expect.objectContaining({ node: 'n1', to: 'c1', body: expect.objectContaining({ code: 10, in_reply_to: 1 }) })]);
    // Every heartbeat event names a peer and a gap.
    for (const e of sim.events('heartbeat')) {
      expect(ids).toContain(e.data.peer);
      expect(e.data.peer).not.toBe(e.node);
      expect(e.data.gapMs).toBeGreaterThanOrEqual(0);
    }
  });
});
